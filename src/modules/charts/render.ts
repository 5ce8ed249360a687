import { Resvg } from "@resvg/resvg-js";
import * as echarts from "echarts";
import type { EChartsOption } from "./option.js";

export interface RenderSize {
  width: number;
  height: number;
}

export const DEFAULT_SIZE: RenderSize = { width: 800, height: 450 };

/**
 * An option drawn on the server as SVG (ECharts server-side rendering): for e-mails, PDFs and
 * `GET /charts/:id.svg`. No animation, white background, one instance per call.
 */
export function renderSvg(option: EChartsOption, size: RenderSize = DEFAULT_SIZE): string {
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: size.width,
    height: size.height,
  });
  try {
    chart.setOption({
      backgroundColor: "#ffffff",
      textStyle: { fontFamily: "DejaVu Sans, Liberation Sans, Arial, sans-serif" },
      ...option,
      animation: false,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** An SVG as PNG (resvg), `scale` times its size: 2 for sharp images in e-mail. */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "#ffffff",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}
