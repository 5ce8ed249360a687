import { type FormEvent, useState } from "react";
import { useCreateRelationship } from "../../api/relationships.ts";
import { type SourceTable, useSources } from "../../api/sources.ts";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { ErrorState } from "../../components/ErrorState.tsx";
import { SelectField } from "../../components/Field.tsx";
import { Icon } from "../../components/Icon.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Notice } from "../../components/Notice.tsx";
import { formError } from "../auth/messages.ts";

/** A join a person knows of: a column of one table that holds keys of another's. */
export function AddRelationshipDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      wide
      title="Add a relationship"
      description="Pick the column that refers to another table (orders.customer_id, say) and the unique column it refers to (customers.id)."
    >
      <AddForm onDone={onClose} />
    </Dialog>
  );
}

function AddForm({ onDone }: { onDone: () => void }) {
  const sources = useSources();
  const create = useCreateRelationship();
  const tables: SourceTable[] = (sources.data?.pages.flatMap((page) => page.items) ?? [])
    .filter((source) => source.status === "ready")
    .flatMap((source) => source.tables);
  const [fromTable, setFromTable] = useState("");
  const [fromColumn, setFromColumn] = useState("");
  const [toTable, setToTable] = useState("");
  const [toColumn, setToColumn] = useState("");

  if (sources.isPending) return <Loading />;
  if (sources.isError) return <ErrorState error={sources.error} onRetry={() => sources.refetch()} />;
  if (tables.length === 0) {
    return (
      <>
        <Notice>There are no tables in this workspace yet: add data on the Sources page first.</Notice>
        <DialogActions>
          <button type="button" className="button" onClick={onDone}>
            Close
          </button>
        </DialogActions>
      </>
    );
  }

  const tableOptions = [
    { value: "", label: "Choose a table", disabled: true },
    ...tables.map((table) => ({ value: table.name, label: table.name })),
  ];
  const columnOptions = (name: string) => [
    { value: "", label: name ? "Choose a column" : "Choose a table first", disabled: true },
    ...(tables.find((table) => table.name === name)?.columns ?? []).map((column) => ({
      value: column.name,
      label: `${column.name} (${column.type})`,
    })),
  ];
  const complete = fromTable && fromColumn && toTable && toColumn;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (complete) create.mutate({ fromTable, fromColumn, toTable, toColumn }, { onSuccess: onDone });
  };
  const message = formError(create.error, []);

  return (
    <form className="form" aria-label="Add a relationship" onSubmit={submit}>
      <div className="relationship-form">
        <ColumnSide
          legend="From (the referring column)"
          side="From"
          table={fromTable}
          column={fromColumn}
          tableOptions={tableOptions}
          columnOptions={columnOptions}
          onTable={setFromTable}
          onColumn={setFromColumn}
        />
        <Icon name="arrow" className="relationship-arrow" />
        <ColumnSide
          legend="To (the unique key)"
          side="To"
          table={toTable}
          column={toColumn}
          tableOptions={tableOptions}
          columnOptions={columnOptions}
          onTable={setToTable}
          onColumn={setToColumn}
        />
      </div>
      {message && <Notice tone="danger">{message}</Notice>}
      <DialogActions>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={!complete || create.isPending}>
          {create.isPending ? "Adding…" : "Add relationship"}
        </button>
      </DialogActions>
    </form>
  );
}

type Option = { value: string; label: string; disabled?: boolean };

/** One end of a relationship: a table, then one of its columns (choosing another table clears the column). */
function ColumnSide(props: {
  legend: string;
  side: "From" | "To";
  table: string;
  column: string;
  tableOptions: Option[];
  columnOptions: (table: string) => Option[];
  onTable: (table: string) => void;
  onColumn: (column: string) => void;
}) {
  return (
    <fieldset className="relationship-side">
      <legend className="form-label">{props.legend}</legend>
      <SelectField
        label={`${props.side} table`}
        value={props.table}
        options={props.tableOptions}
        onChange={(value) => {
          props.onTable(value);
          props.onColumn("");
        }}
      />
      <SelectField
        label={`${props.side} column`}
        value={props.column}
        options={props.columnOptions(props.table)}
        onChange={props.onColumn}
      />
    </fieldset>
  );
}
