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
        <fieldset className="relationship-side">
          <legend className="form-label">From (the referring column)</legend>
          <SelectField
            label="From table"
            value={fromTable}
            options={tableOptions}
            onChange={(value) => {
              setFromTable(value);
              setFromColumn("");
            }}
          />
          <SelectField
            label="From column"
            value={fromColumn}
            options={columnOptions(fromTable)}
            onChange={setFromColumn}
          />
        </fieldset>
        <Icon name="arrow" className="relationship-arrow" />
        <fieldset className="relationship-side">
          <legend className="form-label">To (the unique key)</legend>
          <SelectField
            label="To table"
            value={toTable}
            options={tableOptions}
            onChange={(value) => {
              setToTable(value);
              setToColumn("");
            }}
          />
          <SelectField
            label="To column"
            value={toColumn}
            options={columnOptions(toTable)}
            onChange={setToColumn}
          />
        </fieldset>
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
