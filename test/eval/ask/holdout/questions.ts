import path from "node:path";
import { fileURLToPath } from "node:url";
import { type EvalQuestion, readQuestions } from "../questions.js";
import type { HoldoutDatasetName } from "./datasets/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The held-out questions of one dataset, from `<dataset>.questions.json` beside this file. */
export function loadHoldoutQuestions(dataset: HoldoutDatasetName): EvalQuestion[] {
  return readQuestions(here, dataset);
}
