import { z } from "zod";

const isoDate = z.iso.date();
const scalar = z.union([z.string().max(1_000), z.number(), z.boolean()]);

/**
 * A dashboard filter: a column name that widgets' results may have, and its value. A widget whose
 * result has no column of that name is drawn unfiltered.
 */
export const dashboardFilterSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\w-]+$/),
    field: z.string().min(1).max(256).describe("A result column name the filter applies to."),
    label: z.string().max(100).optional(),
    kind: z.enum(["date_range", "category"]),
    value: z
      .union([z.object({ from: isoDate.optional(), to: isoDate.optional() }), z.array(scalar).max(200)])
      .nullable()
      .optional()
      .describe("A date range (both ends included) or the values to keep; null: no filtering."),
  })
  .superRefine((filter, context) => {
    if (filter.value == null) return;
    if ((filter.kind === "date_range") !== !Array.isArray(filter.value))
      context.addIssue({
        code: "custom",
        message: `a ${filter.kind} filter takes ${filter.kind === "date_range" ? "{from, to}" : "a list of values"}`,
        path: ["value"],
      });
  })
  .meta({ id: "DashboardFilter" });
export type DashboardFilter = z.infer<typeof dashboardFilterSchema>;

/**
 * A filter value that overrides the saved one for one request; with `field` and `kind`, a filter
 * of its own that the dashboard does not save (cross-filtering by a click on a bar).
 */
export const filterOverrideSchema = z.object({
  id: z.string().min(1).max(64),
  field: z.string().min(1).max(256).optional(),
  kind: z.enum(["date_range", "category"]).optional(),
  value: z
    .union([z.object({ from: isoDate.optional(), to: isoDate.optional() }), z.array(scalar).max(200)])
    .nullable()
    .optional(),
});
export type FilterOverride = z.infer<typeof filterOverrideSchema>;

/** The saved filters with one request's overrides applied; filters without a value are left out. */
export function effectiveFilters(
  saved: DashboardFilter[],
  overrides: FilterOverride[] = [],
): DashboardFilter[] {
  const known = new Set(saved.map((filter) => filter.id));
  const adHoc = overrides.flatMap((override): DashboardFilter[] => {
    if (known.has(override.id) || !override.field || !override.kind) return [];
    const parsed = dashboardFilterSchema.safeParse(override);
    return parsed.success ? [parsed.data] : [];
  });
  return [
    ...saved.map((filter) => {
      const override = overrides.find((entry) => entry.id === filter.id);
      return override ? { ...filter, value: override.value } : filter;
    }),
    ...adHoc,
  ].filter((filter) => {
    const value = filter.value;
    if (value == null) return false;
    return Array.isArray(value) ? value.length > 0 : Boolean(value.from || value.to);
  });
}

const quoteName = (name: string, mysql: boolean) =>
  mysql ? `\`${name.replaceAll("`", "``")}\`` : `"${name.replaceAll('"', '""')}"`;

function literal(value: string | number | boolean, mysql: boolean): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return mysql ? (value ? "1" : "0") : String(value);
  const text = `'${value.replaceAll("'", "''")}'`;
  return mysql ? text.replaceAll("\\", "\\\\") : text;
}

/**
 * A widget's query with the filters that apply to its result's columns, as a condition on the
 * result: `select * from (<query>) as filtered where …`. The statement still goes through the guard.
 */
export function filteredSql(
  sql: string,
  filters: DashboardFilter[],
  dialect: "duckdb" | "postgresql" | "mysql",
): string {
  const mysql = dialect === "mysql";
  const conditions = filters.flatMap((filter) => {
    const column = `filtered.${quoteName(filter.field, mysql)}`;
    const value = filter.value;
    if (value == null) return [];
    if (Array.isArray(value))
      return [`${column} in (${value.map((item) => literal(item, mysql)).join(", ")})`];
    const day = `cast(${column} as date)`;
    return [
      ...(value.from ? [`${day} >= ${literal(value.from, mysql)}`] : []),
      ...(value.to ? [`${day} <= ${literal(value.to, mysql)}`] : []),
    ];
  });
  const inner = sql.trim().replace(/;\s*$/, "");
  return conditions.length ? `select * from (${inner}) as filtered where ${conditions.join(" and ")}` : inner;
}
