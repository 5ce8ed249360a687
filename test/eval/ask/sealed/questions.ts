import path from "node:path";
import { fileURLToPath } from "node:url";
import { type EvalQuestion, readQuestions } from "../questions.js";
import type { SealedDatasetName } from "./datasets/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The sealed questions of one dataset, from `<dataset>.questions.json` beside this file. */
export function loadSealedQuestions(dataset: SealedDatasetName): EvalQuestion[] {
  return readQuestions(here, dataset);
}
