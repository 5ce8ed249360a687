import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { DatasetName } from "./datasets/index.js";

export const categories = [
  "aggregation",
  "grouping",
  "ranking",
  "filters",
  "time",
  "joins",
  "having",
  "clarification",
] as const;
export type Category = (typeof categories)[number];

const questionSchema = z
  .object({
    id: z.string().min(1),
    question: z.string().min(1),
    /** Null for a question that should be answered with a clarification, not a guess. */
    gold_sql: z.string().min(1).nullable(),
    category: z.enum(categories),
    /** Whether row order is part of the answer; by default only for an ORDER BY … LIMIT gold. */
    ordered: z.boolean().optional(),
  })
  .strict()
  .refine((q) => (q.category === "clarification") === (q.gold_sql === null), {
    message: "clarification questions, and only they, have gold_sql null",
  });

export type EvalQuestion = z.infer<typeof questionSchema>;

const here = path.dirname(fileURLToPath(import.meta.url));

/** The questions in `<dir>/<dataset>.questions.json`, checked against the schema above. */
export function readQuestions(dir: string, dataset: string): EvalQuestion[] {
  const file = path.join(dir, `${dataset}.questions.json`);
  return z.array(questionSchema).parse(JSON.parse(readFileSync(file, "utf8")));
}

/** The questions of one dataset, from `<dataset>.questions.json` beside this file. */
export function loadQuestions(dataset: DatasetName): EvalQuestion[] {
  return readQuestions(here, dataset);
}
