import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { categories, type EvalQuestion } from "../questions.js";
import type { SealedDatasetName } from "./datasets/index.js";

// The same shape as the development set's questions (../questions.ts), checked the same way.
const questionSchema = z
  .object({
    id: z.string().min(1),
    question: z.string().min(1),
    gold_sql: z.string().min(1).nullable(),
    category: z.enum(categories),
    ordered: z.boolean().optional(),
  })
  .strict()
  .refine((q) => (q.category === "clarification") === (q.gold_sql === null), {
    message: "clarification questions, and only they, have gold_sql null",
  });

const here = path.dirname(fileURLToPath(import.meta.url));

/** The sealed questions of one dataset, from `<dataset>.questions.json` beside this file. */
export function loadSealedQuestions(dataset: SealedDatasetName): EvalQuestion[] {
  const file = path.join(here, `${dataset}.questions.json`);
  return z.array(questionSchema).parse(JSON.parse(readFileSync(file, "utf8"))) satisfies EvalQuestion[];
}
