import type { EvalQuestion } from "../questions.js";
import { ensureSealedDataset, type SealedDatasetName, sealedDatasetNames } from "./datasets/index.js";
import { loadSealedQuestions } from "./questions.js";

/**
 * The sealed suite as `npm run eval:ask -- --sealed` runs it: loaded only with that flag, and
 * reported as totals only (per dataset, per category, overall) unless `--verbose` is given.
 */
export const sealedSuite = {
  label: "sealed",
  names: sealedDatasetNames as readonly string[],
  ensure: (name: string): string => ensureSealedDataset(name as SealedDatasetName),
  load: (name: string): EvalQuestion[] => loadSealedQuestions(name as SealedDatasetName),
  /** Individual misses stay hidden, so that the engine is never tuned on them. */
  hideMisses: true,
};
