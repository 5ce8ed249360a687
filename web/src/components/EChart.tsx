import { useEffect, useRef, useState } from "react";

type ECharts = import("echarts").ECharts;

/** What a click on a bar, slice or point names: the category and the series. */
export interface ChartClick {
  name: string;
  seriesName?: string;
}

/**
 * Draws an Apache ECharts option (as the server builds it) and keeps it sized to its box. ECharts
 * is loaded on first use, so pages without charts do not carry it.
 */
export function EChart({
  option,
  label,
  onClick,
}: {
  option: Record<string, unknown>;
  label: string;
  onClick?: (click: ChartClick) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const clicked = useRef(onClick);
  clicked.current = onClick;
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    import("echarts")
      .then((echarts) => {
        if (disposed || !box.current) return;
        const instance = echarts.init(box.current, null, { renderer: "canvas" });
        chart.current = instance;
        instance.on("click", (params) => {
          if (typeof params.name === "string" && params.name)
            clicked.current?.({
              name: params.name,
              ...(params.seriesName ? { seriesName: params.seriesName } : {}),
            });
        });
        observer = new ResizeObserver(() => instance.resize());
        observer.observe(box.current);
      })
      .catch(() => setFailed(true));
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    let cancelled = false;
    const draw = () => {
      if (cancelled) return;
      if (chart.current) chart.current.setOption(option, { notMerge: true });
      else setTimeout(draw, 30);
    };
    draw();
    return () => {
      cancelled = true;
    };
  }, [option]);

  if (failed) return <p className="muted small">The chart could not be drawn.</p>;
  return <div ref={box} className="echart" role="img" aria-label={label} data-testid="echart" />;
}
