/**
 * `npm run eval:ask`: execution accuracy of `sightline ask` on the evaluation set. Generates the
 * datasets when missing, asks every question with the local ask session (the engine the CLI
 * uses), runs the gold SQL on the same data and compares the results as values. It measures;
 * it fails only when `--min <fraction>` is given and not met.
 *
 *   npm run eval:ask -- [--dataset sales,hr] [--category time] [--verbose] [--min 0.9] [--no-cli]
 *
 * `--holdout` runs the held-out set instead (holdout/: other datasets and questions, kept out of
 * the default run so that the engine is not tuned on them); `--dataset` then picks among those.
 * `--sealed` runs the sealed set (sealed/) the same way but prints only its totals: its
 * individual misses are shown with `--verbose` alone.
 */
import { parseArgs } from "node:util";
import { openLocalSource } from "../../../src/modules/warehouse/local-source.js";
import { checkCliContract } from "./cli-contract.js";
import { type DatasetName, datasetNames, EVAL_TODAY, ensureDataset } from "./datasets/index.js";
import { type AnswerLike, evaluateQuestion, type Outcome } from "./evaluate.js";
import { categories, type EvalQuestion, loadQuestions } from "./questions.js";
import { formatMisses, formatOutcome, formatReasonKinds, formatSummary } from "./report.js";

const CLI_SAMPLE = 20;

const { values: flags } = parseArgs({
  options: {
    dataset: { type: "string" },
    category: { type: "string" },
    verbose: { type: "boolean", default: false },
    min: { type: "string" },
    "no-cli": { type: "boolean", default: false },
    holdout: { type: "boolean", default: false },
    sealed: { type: "boolean", default: false },
  },
});

if (flags.holdout && flags.sealed) {
  process.stderr.write("Choose one of --holdout and --sealed\n");
  process.exit(2);
}

function listFlag<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] {
  if (!value) return [...allowed];
  const chosen = value.split(",").map((item) => item.trim());
  const unknown = chosen.filter((item) => !allowed.includes(item as T));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown ${what}: ${unknown.join(", ")} (choose from ${allowed.join(", ")})\n`);
    process.exit(2);
  }
  return chosen as T[];
}

/** Which datasets and questions to run: the development set, or the held-out or sealed one. */
const suite: {
  label?: string;
  names: readonly string[];
  ensure(name: string): string;
  load(name: string): EvalQuestion[];
  /** Report totals only: no question, SQL or miss of this set is printed without `--verbose`. */
  hideMisses?: boolean;
} = flags.sealed
  ? (await import("./sealed/suite.js")).sealedSuite
  : flags.holdout
    ? (await import("./holdout/suite.js")).holdoutSuite
    : {
        names: datasetNames,
        ensure: (name) => ensureDataset(name as DatasetName),
        load: (name) => loadQuestions(name as DatasetName),
      };
const totalsOnly = suite.hideMisses === true && !flags.verbose;
const datasets = listFlag(flags.dataset, suite.names, "dataset");
const wanted = new Set(listFlag(flags.category, categories, "category"));
const min = flags.min === undefined ? undefined : Number(flags.min);
if (min !== undefined && !(min >= 0 && min <= 1)) {
  process.stderr.write("--min takes a fraction between 0 and 1, e.g. 0.9\n");
  process.exit(2);
}
// Noon UTC, so the engine reads the same calendar day whether it uses local or UTC dates.
const today = new Date(`${EVAL_TODAY}T12:00:00Z`);

// Loaded at run time so a half-built engine is reported as such rather than as a stack trace.
let openLocalAsk: typeof import("../../../src/modules/ask/local.js").openLocalAsk;
try {
  ({ openLocalAsk } = await import("../../../src/modules/ask/local.js"));
} catch (error) {
  process.stdout.write(
    `The ask engine could not be loaded (src/modules/ask/local.ts): ${(error as Error).message}\n`,
  );
  process.exit(min === undefined ? 0 : 1);
}

const outcomes: Outcome[] = [];
let cliSample: { dataset: string; source: string; questions: string[]; answers: AnswerLike[] } | undefined;

if (suite.label)
  process.stdout.write(`=== ${suite.label.toUpperCase()} evaluation: ${datasets.join(", ")} ===\n`);
for (const dataset of datasets) {
  const source = suite.ensure(dataset);
  const questions = suite.load(dataset).filter((q) => wanted.has(q.category));
  if (questions.length === 0) continue;
  const gold = await openLocalSource(source);
  const session = await openLocalAsk(source, { today });
  process.stdout.write(
    `${dataset}: ${questions.length} questions over ${gold.tables.length} tables (today ${EVAL_TODAY})\n`,
  );
  const answers: AnswerLike[] = [];
  try {
    for (const q of questions) {
      const outcome = await evaluateQuestion(dataset, q, {
        ask: async (question) => {
          const answer = await session.ask(question);
          answers.push(answer);
          return answer;
        },
        draft: (question) => session.draft(question),
        gold: (sql) => gold.query(sql),
      });
      outcomes.push(outcome);
      if (flags.verbose) process.stdout.write(`  ${formatOutcome(outcome)}\n`);
    }
  } finally {
    session.close();
    gold.close();
  }
  cliSample ??= {
    dataset,
    source,
    questions: questions.slice(0, CLI_SAMPLE).map((q) => q.question),
    answers: answers.slice(0, CLI_SAMPLE),
  };
}

process.stdout.write(
  `\n${totalsOnly ? formatReasonKinds(outcomes) : `${formatMisses(outcomes)}\n`}${formatSummary(outcomes, { label: suite.label })}`,
);

if (!flags["no-cli"] && cliSample) {
  const check = checkCliContract({
    source: cliSample.source,
    questions: cliSample.questions,
    inProcess: cliSample.answers,
  });
  const heading = `CLI contract (sightline ask --batch --json, ${cliSample.questions.length} ${cliSample.dataset} questions, ${(check.ms / 1000).toFixed(1)} s)`;
  process.stdout.write(
    check.ok
      ? `${heading}: ok\n`
      : totalsOnly
        ? `${heading}: WARNING (${check.warnings.length}; --verbose lists them)\n`
        : `${heading}: WARNING\n${check.warnings.map((w) => `  - ${w}`).join("\n")}\n`,
  );
}

const correct = outcomes.filter((outcome) => outcome.correct).length;
const accuracy = outcomes.length === 0 ? 0 : correct / outcomes.length;
if (min !== undefined && accuracy < min) {
  process.stdout.write(`Accuracy ${(accuracy * 100).toFixed(1)}% is below --min ${min}\n`);
  process.exitCode = 1;
}
