import type { Value } from "./compare.js";
import { type Outcome, type Tally, tally } from "./evaluate.js";
import { categories } from "./questions.js";

const percent = ({ correct, total }: Tally) =>
  total === 0 ? "  –  " : `${((100 * correct) / total).toFixed(1)}%`;
const line = (label: string, entry: Tally) =>
  `  ${label.padEnd(16)} ${String(entry.correct).padStart(4)} / ${String(entry.total).padEnd(4)} ${percent(entry).padStart(6)}`;

const cells = (row: Value[] | undefined) => (row ? JSON.stringify(row) : "(none)");
const clip = (text: string, length = 400) => (text.length > length ? `${text.slice(0, length)}…` : text);

/** The misses, one block each: the question, both SQL texts and the first row that differs. */
export function formatMisses(outcomes: Outcome[]): string {
  const misses = outcomes.filter((outcome) => !outcome.correct);
  if (misses.length === 0) return "No misses.\n";
  const blocks = misses.map((miss) =>
    [
      `✗ [${miss.id}] ${miss.question}  (${miss.category})`,
      `    why:  ${clip(miss.reason ?? "")}`,
      `    ours: ${clip(miss.sql.replace(/\s+/g, " ") || "(no SQL)")}`,
      `    gold: ${miss.goldSql ? clip(miss.goldSql) : "(a clarification)"}`,
      ...(miss.expected || miss.actual
        ? [
            `    gold row: ${clip(cells(miss.expected), 200)}`,
            `    our row:  ${clip(cells(miss.actual), 200)}`,
          ]
        : []),
    ].join("\n"),
  );
  return `Misses (${misses.length}):\n${blocks.join("\n")}\n`;
}

/** Accuracy per dataset, per category and overall, with timing; `label` names the set (e.g. "held-out"). */
export function formatSummary(outcomes: Outcome[], options: { label?: string } = {}): string {
  const set = options.label ? ` (${options.label})` : "";
  const overall = tally(outcomes, () => "all").get("all") ?? { correct: 0, total: 0 };
  const loose = {
    correct: outcomes.filter((outcome) => outcome.correctWithExtraColumns).length,
    total: outcomes.length,
  };
  const byDataset = tally(outcomes, (outcome) => outcome.dataset);
  const byCategory = tally(outcomes, (outcome) => outcome.category);
  const times = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return [
    ...(options.label
      ? [`${options.label.toUpperCase()} SET — datasets and questions the engine was not tuned on`]
      : []),
    `Accuracy by dataset${set}:`,
    ...[...byDataset].map(([name, entry]) => line(name, entry)),
    `Accuracy by category${set}:`,
    ...categories
      .filter((category) => byCategory.has(category))
      .map((category) => line(category, byCategory.get(category)!)),
    line("overall", overall).replace("  overall", "Overall  ") + set,
    `(with extra answer columns allowed, e.g. every column where one was asked for: ${loose.correct} / ${loose.total}, ${percent(loose)})`,
    `Answer time per question: median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${at(1).toFixed(0)} ms`,
    "",
  ].join("\n");
}

export function formatOutcome(outcome: Outcome): string {
  return `${outcome.correct ? "✓" : "✗"} [${outcome.id}] ${outcome.question}${outcome.correct ? "" : `  — ${clip(outcome.reason ?? "", 160)}`}`;
}

/**
 * Why the misses missed, as kinds with their counts and no question, table or value: what a
 * sealed set may say about itself without showing what to tune on.
 */
export function formatReasonKinds(outcomes: Outcome[]): string {
  const kinds = new Map<string, number>();
  for (const outcome of outcomes) {
    if (outcome.correct || !outcome.reason) continue;
    const kind = `${outcome.category}: ${outcome.reason
      .replace(/^(no clarification: |error: ).*$/s, (_, prefix: string) => `${prefix}…`)
      .replace(/\d+/g, "N")}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const lines = [...kinds.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, count]) => `  ${String(count).padStart(4)}  ${kind}`);
  return lines.length ? `Kinds of misses:\n${lines.join("\n")}\n` : "";
}
