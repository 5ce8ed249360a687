import type { EvalQuestion } from "../questions.js";
import { ensureHoldoutDataset, type HoldoutDatasetName, holdoutDatasetNames } from "./datasets/index.js";
import { loadHoldoutQuestions } from "./questions.js";

/**
 * The held-out suite as `npm run eval:ask -- --holdout` runs it: loaded only with that flag, so
 * the default run neither generates nor asks any of it.
 */
export const holdoutSuite = {
  label: "held-out",
  names: holdoutDatasetNames as readonly string[],
  ensure: (name: string): string => ensureHoldoutDataset(name as HoldoutDatasetName),
  load: (name: string): EvalQuestion[] => loadHoldoutQuestions(name as HoldoutDatasetName),
};
