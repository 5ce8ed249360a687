import { type FormEvent, useState } from "react";
import type { DashboardFilter, FilterOverride, FilterValue } from "../../api/dashboards.ts";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { Icon } from "../../components/Icon.tsx";

const listOf = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/** A filter's value as its input shows it. */
function textOf(value: FilterValue | undefined): string {
  return Array.isArray(value) ? value.join(", ") : "";
}

/** Adds a filter: the result column it narrows, and whether it holds dates or categories. */
function AddFilterDialog({
  open,
  onClose,
  onAdd,
  fields,
  taken,
}: {
  open: boolean;
  onClose: () => void;
  onAdd: (filter: DashboardFilter) => void;
  fields: string[];
  taken: string[];
}) {
  const [field, setField] = useState("");
  const [label, setLabel] = useState("");
  const [kind, setKind] = useState<DashboardFilter["kind"]>("category");
  const id =
    field
      .trim()
      .replace(/[^\w-]+/g, "_")
      .slice(0, 60) || "filter";
  const submit = (event: FormEvent) => {
    event.preventDefault();
    let unique = id;
    for (let n = 2; taken.includes(unique); n++) unique = `${id}_${n}`;
    onAdd({
      id: unique,
      field: field.trim(),
      kind,
      value: null,
      ...(label.trim() ? { label: label.trim() } : {}),
    });
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Add a filter"
      description="It narrows every widget whose result has this column."
    >
      <form className="form" onSubmit={submit} aria-label="Add a filter">
        <TextField
          label="Column"
          value={field}
          required
          list="filter-fields"
          onChange={(event) => setField(event.target.value)}
        />
        <datalist id="filter-fields">
          {fields.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <TextField
          label="Label (optional)"
          value={label}
          onChange={(event) => setLabel(event.target.value)}
        />
        <SelectField
          label="Kind"
          value={kind}
          options={[
            { value: "category", label: "Values (a list)" },
            { value: "date_range", label: "Date range" },
          ]}
          onChange={setKind}
        />
        <DialogActions>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!field.trim()}>
            Add filter
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/**
 * The dashboard's filters: each one's value (saved with the dashboard when applied), a way to add
 * or remove filters for editors, and the cross-filters a click set (kept until cleared, not saved).
 */
export function FilterBar({
  filters,
  fields,
  canEdit,
  saving,
  onSave,
  crossFilters,
  onClearCrossFilter,
}: {
  filters: DashboardFilter[];
  fields: string[];
  canEdit: boolean;
  saving: boolean;
  onSave: (filters: DashboardFilter[]) => void;
  crossFilters: FilterOverride[];
  onClearCrossFilter: (id: string) => void;
}) {
  const [draft, setDraft] = useState<Record<string, FilterValue>>({});
  const [adding, setAdding] = useState(false);
  const currentValue = (filter: DashboardFilter) =>
    (filter.id in draft ? draft[filter.id] : filter.value) ?? null;
  const changed = Object.keys(draft).length > 0;
  const apply = () => {
    onSave(filters.map((filter) => ({ ...filter, value: currentValue(filter) })));
    setDraft({});
  };
  if (filters.length === 0 && crossFilters.length === 0 && !canEdit) return null;
  return (
    <section className="filter-bar" aria-label="Filters">
      {filters.map((filter) => {
        const value = currentValue(filter);
        const label = filter.label ?? filter.field;
        return (
          <div key={filter.id} className="filter-control">
            {filter.kind === "date_range" ? (
              <fieldset className="filter-range">
                <legend className="form-label">{label}</legend>
                <input
                  type="date"
                  className="input"
                  aria-label={`${label} from`}
                  value={!Array.isArray(value) && value?.from ? value.from : ""}
                  onChange={(event) =>
                    setDraft({
                      ...draft,
                      [filter.id]: {
                        ...(Array.isArray(value) || !value ? {} : value),
                        from: event.target.value || undefined,
                      },
                    })
                  }
                />
                <input
                  type="date"
                  className="input"
                  aria-label={`${label} to`}
                  value={!Array.isArray(value) && value?.to ? value.to : ""}
                  onChange={(event) =>
                    setDraft({
                      ...draft,
                      [filter.id]: {
                        ...(Array.isArray(value) || !value ? {} : value),
                        to: event.target.value || undefined,
                      },
                    })
                  }
                />
              </fieldset>
            ) : (
              <TextField
                label={label}
                placeholder="Any (comma-separated values)"
                value={filter.id in draft ? textOf(draft[filter.id]) : textOf(filter.value)}
                onChange={(event) => setDraft({ ...draft, [filter.id]: listOf(event.target.value) })}
              />
            )}
            {canEdit && (
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove the ${label} filter`}
                onClick={() => onSave(filters.filter((other) => other.id !== filter.id))}
              >
                <Icon name="trash" />
              </button>
            )}
          </div>
        );
      })}
      {filters.length > 0 && (
        <button type="button" className="button button-primary" disabled={!changed || saving} onClick={apply}>
          Apply filters
        </button>
      )}
      {canEdit && (
        <button type="button" className="button" onClick={() => setAdding(true)}>
          <Icon name="plus" />
          Add filter
        </button>
      )}
      {crossFilters.map((cross) => (
        <span key={cross.id} className="chip chip-static" data-testid="cross-filter">
          {cross.field}: {textOf(cross.value)}
          <button
            type="button"
            className="icon-button"
            aria-label={`Clear the ${cross.field} cross-filter`}
            onClick={() => onClearCrossFilter(cross.id)}
          >
            ×
          </button>
        </span>
      ))}
      <AddFilterDialog
        open={adding}
        onClose={() => setAdding(false)}
        fields={fields}
        taken={filters.map((filter) => filter.id)}
        onAdd={(filter) => onSave([...filters, filter])}
      />
    </section>
  );
}
