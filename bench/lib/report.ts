/** Prints one benchmark line: `name: value unit (ratio vs PEER)`. */
export function report(
  name: string,
  value: number,
  unit: string,
  peer?: { name: string; value: number; higherIsBetter: boolean; relation?: string },
) {
  const shown = value >= 100 ? value.toFixed(0) : value.toFixed(2);
  if (!peer) {
    console.log(`${name}: ${shown} ${unit}`);
    return;
  }
  const ratio = value / peer.value;
  const verdict = peer.relation ?? (peer.higherIsBetter ? "of" : "the time of");
  console.log(`${name}: ${shown} ${unit} (${ratio.toFixed(2)}× ${verdict} ${peer.name})`);
}

/** Prints whether a measured ratio meets its target: `  target: ≤ 1.25× raw DuckDB — met`. */
export function reportTarget(description: string, met: boolean) {
  console.log(`  target: ${description} — ${met ? "met" : "MISSED"}`);
}
