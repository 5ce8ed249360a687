import { Invalid } from "../../platform/errors.js";
import type { ChartSpec } from "../charts/index.js";
import type { WidgetInput } from "./dashboards.service.js";
import type { WidgetLayout } from "./dashboards.tables.js";

/** A table as the sources module describes it: its name and typed columns. */
export interface TemplateTable {
  name: string;
  columns: { name: string; type: string }[];
}

export interface DashboardTemplate {
  id: string;
  title: string;
  description: string;
  /** The widgets it makes for a table, or why it does not fit the table. */
  build(table: TemplateTable): (WidgetInput & { layout: WidgetLayout })[];
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const numeric = (type: string) => type === "integer" || type === "decimal";
const temporal = (type: string) => type === "date" || type === "timestamp";
const idLike = (name: string) => /(^|_)id$|Id$|ID$/.test(name);

function roles(table: TemplateTable) {
  const measures = table.columns.filter((column) => numeric(column.type) && !idLike(column.name));
  // Money before counts of things: "amount" says more about the rows than "quantity".
  const measure =
    measures.find((column) => /(amount|revenue|total|sales|value|price|cost|spend)/i.test(column.name)) ??
    measures[0];
  const time = table.columns.find((column) => temporal(column.type));
  const category = table.columns.find((column) => column.type === "text" && !idLike(column.name));
  return { measure, time, category };
}

const chart = (spec: ChartSpec) => spec;

/** Built-in dashboards made from one table's columns: what a new dashboard usually starts with. */
export const dashboardTemplates: DashboardTemplate[] = [
  {
    id: "table-overview",
    title: "Table overview",
    description: "Row count and total, the total by month and by its main category, and the latest rows.",
    build(table) {
      const { measure, time, category } = roles(table);
      const from = quote(table.name);
      const widgets: (WidgetInput & { layout: WidgetLayout })[] = [
        {
          kind: "kpi",
          title: "Rows",
          sql: `select count(*) as rows from ${from}`,
          spec: chart({ type: "kpi" }),
          layout: { x: 0, y: 0, w: 3, h: 3 },
        },
      ];
      if (measure)
        widgets.push({
          kind: "kpi",
          title: `Total ${measure.name}`,
          sql: `select sum(${quote(measure.name)}) as ${quote(`total_${measure.name}`)} from ${from}`,
          spec: chart({ type: "kpi" }),
          layout: { x: 3, y: 0, w: 3, h: 3 },
        });
      const figure = measure ? `sum(${quote(measure.name)})` : "count(*)";
      const alias = quote(measure ? `total_${measure.name}` : "rows");
      if (time)
        widgets.push({
          kind: "chart",
          title: `${measure ? `Total ${measure.name}` : "Rows"} by month`,
          sql: `select cast(date_trunc('month', ${quote(time.name)}) as date) as month, ${figure} as ${alias} from ${from} group by 1 order by 1`,
          spec: chart({ type: "line", x: "month" }),
          layout: { x: 0, y: 3, w: 6, h: 6 },
        });
      if (category)
        widgets.push({
          kind: "chart",
          title: `${measure ? `Total ${measure.name}` : "Rows"} by ${category.name}`,
          sql: `select ${quote(category.name)}, ${figure} as ${alias} from ${from} group by 1 order by 2 desc limit 10`,
          spec: chart({ type: "horizontal_bar", x: category.name }),
          layout: { x: 6, y: 3, w: 6, h: 6 },
        });
      widgets.push({
        kind: "table",
        title: "Latest rows",
        sql: `select * from ${from}${time ? ` order by ${quote(time.name)} desc` : ""} limit 20`,
        spec: chart({ type: "table" }),
        layout: { x: 0, y: 9, w: 12, h: 6 },
      });
      return widgets;
    },
  },
  {
    id: "trend",
    title: "Trend",
    description: "A figure's latest month against the one before, by month and by week.",
    build(table) {
      const { measure, time } = roles(table);
      if (!time) throw new Invalid(`The Trend template needs a table with a date; ${table.name} has none`);
      const from = quote(table.name);
      const figure = measure ? `sum(${quote(measure.name)})` : "count(*)";
      const alias = quote(measure ? `total_${measure.name}` : "rows");
      const by = (unit: string) =>
        `select cast(date_trunc('${unit}', ${quote(time.name)}) as date) as ${unit}, ${figure} as ${alias} from ${from} group by 1 order by 1`;
      return [
        {
          kind: "kpi",
          title: "This month vs last",
          sql: by("month"),
          spec: chart({ type: "kpi", x: "month" }),
          layout: { x: 0, y: 0, w: 4, h: 4 },
        },
        {
          kind: "chart",
          title: "By month",
          sql: by("month"),
          spec: chart({ type: "area", x: "month" }),
          layout: { x: 4, y: 0, w: 8, h: 6 },
        },
        {
          kind: "chart",
          title: "By week",
          sql: by("week"),
          spec: chart({ type: "line", x: "week" }),
          layout: { x: 0, y: 6, w: 12, h: 6 },
        },
      ];
    },
  },
];
