import { describe, expect, it } from "vitest";
import { type DashboardFilter, dashboardFilterSchema, effectiveFilters, filteredSql } from "./filters.js";

const region: DashboardFilter = {
  id: "region",
  field: "region",
  kind: "category",
  value: ["Europe", "O'Hare"],
};
const period: DashboardFilter = {
  id: "period",
  field: "month",
  kind: "date_range",
  value: { from: "2024-01-01", to: "2024-03-31" },
};

describe("dashboard filters", () => {
  it("narrow a widget's result by the filtered columns, quoting names and values", () => {
    expect(filteredSql("select region, month, total from t;", [region, period], "duckdb")).toBe(
      `select * from (select region, month, total from t) as filtered where filtered."region" in ('Europe', 'O''Hare') and cast(filtered."month" as date) >= '2024-01-01' and cast(filtered."month" as date) <= '2024-03-31'`,
    );
    expect(filteredSql("select 1", [{ ...region, field: "re`gion" }], "mysql")).toContain(
      "filtered.`re``gion` in",
    );
  });

  it("apply a request's overrides and leave out filters without a value", () => {
    const saved = [region, { ...period, value: null }];
    expect(effectiveFilters(saved).map((filter) => filter.id)).toEqual(["region"]);
    expect(
      effectiveFilters(saved, [
        { id: "region", value: [] },
        { id: "period", value: { from: "2024-02-01" } },
      ]),
    ).toEqual([{ ...period, value: { from: "2024-02-01" } }]);
  });

  it("take a click's filter of its own, a column the dashboard does not filter", () => {
    expect(
      effectiveFilters([region], [{ id: "click", field: "channel", kind: "category", value: ["Online"] }]),
    ).toEqual([region, { id: "click", field: "channel", kind: "category", value: ["Online"] }]);
    expect(
      effectiveFilters(
        [],
        [{ id: "click", field: "channel", kind: "category", value: { from: "2024-01-01" } }],
      ),
    ).toEqual([]);
  });

  it("refuse a value of the wrong shape for the kind", () => {
    expect(dashboardFilterSchema.safeParse({ ...region, value: { from: "2024-01-01" } }).success).toBe(false);
    expect(dashboardFilterSchema.safeParse({ ...period, value: ["2024"] }).success).toBe(false);
    expect(dashboardFilterSchema.safeParse({ ...period, value: { from: "yesterday" } }).success).toBe(false);
  });
});
