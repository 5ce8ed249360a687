import PDFDocument from "pdfkit";
import { renderSvg, svgToPng } from "../charts/index.js";
import type { DashboardRecord, WidgetData, WidgetRecord } from "./dashboards.service.js";
import type { DashboardFilter } from "./filters.js";

/** A dashboard drawn for export: its widgets in reading order, each with its data. */
export interface DrawnDashboard {
  dashboard: DashboardRecord;
  widgets: { widget: WidgetRecord; data: WidgetData }[];
  /** The filters in effect, with their values. */
  filters: DashboardFilter[];
  at: Date;
}

const COLUMN_PX = 100;
const ROW_PX = 44;
const GAP = 10;

const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** A widget's option for drawing on the server: tables and notes as text, everything else as it is. */
function optionOf({ widget, data }: DrawnDashboard["widgets"][number]): Record<string, unknown> {
  if (data.kind === "markdown")
    return {
      title: { text: widget.title, textStyle: { fontSize: 14 } },
      graphic: (data.markdown ?? "")
        .replaceAll(/[*`]/g, "")
        .split("\n")
        .slice(0, 20)
        .map((line, at) => ({
          type: "text",
          left: 8,
          top: (widget.title ? 36 : 8) + at * 20,
          style: { text: line, fontSize: 13, fill: "#1f2937" },
        })),
    };
  return { ...(data.option ?? {}), title: { text: widget.title, textStyle: { fontSize: 14 } } };
}

/** What the filters say, printed on exports: "Period: 2024-01-01 – 2024-03-31 · Region: Europe". */
export function describeFilters(filters: DashboardFilter[]): string {
  return filters
    .map((filter) => {
      const value = filter.value;
      const label = filter.label ?? filter.field;
      if (Array.isArray(value)) return `${label}: ${value.join(", ")}`;
      return `${label}: ${value?.from ?? "…"} – ${value?.to ?? "…"}`;
    })
    .join(" · ");
}

/** The whole dashboard as one SVG, widgets where the grid puts them (12 columns of 100 px). */
export function dashboardSvg(drawn: DrawnDashboard): string {
  const header = 64;
  const bottom = Math.max(1, ...drawn.widgets.map(({ widget }) => widget.layout.y + widget.layout.h));
  const width = 12 * COLUMN_PX;
  const height = header + bottom * ROW_PX + GAP;
  const parts = drawn.widgets.map((entry) => {
    const { x, y, w, h } = entry.widget.layout;
    const size = { width: w * COLUMN_PX - GAP, height: h * ROW_PX - GAP };
    const svg = renderSvg(optionOf(entry), size);
    const placed = svg.replace(/^<svg /, `<svg x="${x * COLUMN_PX + GAP / 2}" y="${header + y * ROW_PX}" `);
    return `<rect x="${x * COLUMN_PX + GAP / 2}" y="${header + y * ROW_PX}" width="${size.width}" height="${size.height}" fill="#ffffff" stroke="#e4e7ec" rx="8"/>${placed}`;
  });
  const filters = describeFilters(drawn.filters);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#f7f8fa"/>`,
    `<text x="10" y="30" font-family="DejaVu Sans, sans-serif" font-size="22" font-weight="bold" fill="#1f2937">${escapeXml(drawn.dashboard.title)}</text>`,
    `<text x="10" y="52" font-family="DejaVu Sans, sans-serif" font-size="12" fill="#6b7280">${escapeXml([filters, `Exported ${drawn.at.toISOString().slice(0, 16).replace("T", " ")} UTC`].filter(Boolean).join(" · "))}</text>`,
    ...parts,
    "</svg>",
  ].join("");
}

export function dashboardPng(drawn: DrawnDashboard): Buffer {
  return svgToPng(dashboardSvg(drawn), 1.5);
}

const cellText = (value: unknown) =>
  value === null || value === undefined
    ? ""
    : typeof value === "number"
      ? value.toLocaleString("en-US", { maximumFractionDigits: 2 })
      : String(value);

/**
 * The dashboard as a PDF (A4 landscape): a cover line with the filter values, then each widget in
 * reading order — charts as images, tables as text over as many pages as their rows need.
 */
export function dashboardPdf(drawn: DrawnDashboard): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 36,
    info: { Title: drawn.dashboard.title, Producer: "Sightline" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const left = doc.page.margins.left;
  const usable = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const limit = () => doc.page.height - doc.page.margins.bottom;
  const room = (needed: number) => {
    if (doc.y + needed > limit()) doc.addPage();
  };

  doc.font("Helvetica-Bold").fontSize(20).fillColor("#1f2937").text(drawn.dashboard.title);
  const filters = describeFilters(drawn.filters);
  doc
    .font("Helvetica")
    .fontSize(10)
    .fillColor("#6b7280")
    .text(
      `${filters ? `Filters: ${filters}. ` : "No filters. "}Exported ${drawn.at.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
    );
  doc.moveDown();

  for (const entry of drawn.widgets) {
    const { widget, data } = entry;
    const chart = data.kind !== "markdown" && widget.spec?.type !== "table" && data.rows.length > 0;
    const height = Math.min(300, limit() - doc.page.margins.top - 40);
    // A title stays on the page of what it names.
    room(chart ? height + 30 : 60);
    doc
      .font("Helvetica-Bold")
      .fontSize(13)
      .fillColor("#1f2937")
      .text(widget.title || (data.kind === "markdown" ? "Note" : "Untitled"));
    doc.moveDown(0.3);
    if (data.kind === "markdown") {
      doc
        .font("Helvetica")
        .fontSize(11)
        .fillColor("#1f2937")
        .text((data.markdown ?? "").replaceAll(/[*`]/g, ""), { width: usable });
    } else if (widget.spec?.type === "table") {
      const columns = data.columns.map((column) => column.name);
      const width = usable / Math.max(1, columns.length);
      const row = (cells: string[], bold: boolean) => {
        room(16);
        const y = doc.y;
        doc
          .font(bold ? "Helvetica-Bold" : "Helvetica")
          .fontSize(9)
          .fillColor("#1f2937");
        for (const [at, cell] of cells.entries())
          doc.text(cell, left + at * width, y, {
            width: width - 4,
            height: 12,
            ellipsis: true,
            lineBreak: false,
          });

        doc.x = left;
        doc.y = y + 14;
      };
      row(columns, true);
      for (const cells of data.rows) {
        // A table continues on the next page with its header again.
        if (doc.y + 16 > limit()) {
          doc.addPage();
          row(columns, true);
        }
        row(cells.map(cellText), false);
      }
      if (data.truncated)
        doc
          .font("Helvetica-Oblique")
          .fontSize(9)
          .text(`Only the first ${data.rows.length.toLocaleString()} rows.`);
    } else if (data.rows.length === 0) {
      doc.font("Helvetica-Oblique").fontSize(10).fillColor("#6b7280").text("No rows match the filters.");
    } else {
      const png = svgToPng(
        renderSvg(optionOf({ widget: { ...widget, title: "" }, data }), {
          width: Math.round(usable),
          height: Math.round(height),
        }),
        2,
      );
      doc.image(png, left, doc.y, { width: usable, height });
      doc.y += height;
      doc.x = left;
    }
    doc.moveDown();
  }
  doc.end();
  return done;
}
