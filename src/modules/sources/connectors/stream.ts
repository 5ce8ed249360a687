import {
  type JsonValue,
  QueryTimeout,
  type ResultColumn,
  type StreamedResult,
} from "../../warehouse/duckdb-engine.js";
import { QueryCancelled, stopAfter } from "./types.js";

/** Rows per batch a connector reads from its database at a time. */
export const STREAM_BATCH_ROWS = 5_000;

/** How a streamed read is stopped and cleaned up: the connector fills it in as the read starts. */
export interface StreamControl {
  /** Stops the statement running now, from outside (cancel the backend, kill the query…). */
  interrupt: () => void;
  /** Ends the read and frees its connection or worker. Runs once, possibly during a fetch. */
  release: () => Promise<void>;
  /** Throws when the read was cancelled or timed out: for the steps of starting it. */
  check: () => void;
}

export interface OpenedStream {
  columns: ResultColumn[];
  /** The first batch, read as the stream opens, so a query that fails as it starts fails before any row. */
  first: JsonValue[][];
  /** The next batch; an empty one at the end. */
  next: () => Promise<JsonValue[][]>;
}

/**
 * A connector's result read batch by batch as its reader pulls, with no row cap. The whole read
 * gets `timeoutMs` (plus `graceMs`, so the database's own statement timeout can answer first)
 * and stops when `signal` aborts; `close` (also called when the rows are read to the end or the
 * reading fails) stops the statement and frees the connection.
 */
export async function streamBatches(
  run: { timeoutMs: number; signal?: AbortSignal | undefined },
  options: { graceMs: number; failure: (error: unknown) => Error },
  open: (control: StreamControl) => Promise<OpenedStream>,
): Promise<StreamedResult> {
  if (run.signal?.aborted) throw new QueryCancelled();
  let fetching = false;
  let closed = false;
  let released: Promise<void> | undefined;
  const control: StreamControl = {
    interrupt: () => undefined,
    release: async () => undefined,
    check: () => {
      const reason = stopped();
      if (reason) throw reason;
    },
  };
  const release = () => {
    released ??= control.release().catch(() => undefined);
    return released;
  };
  let opening = true;
  let stopping: ReturnType<typeof setInterval> | undefined;
  // While the read starts, its steps still use the connection: they are interrupted, and fail.
  // An interrupt lands on the statement running at that moment, so one that arrives between two
  // steps would be lost: it is repeated until the step in flight has ended.
  const stop = () => {
    if (fetching) {
      control.interrupt();
      stopping ??= setInterval(() => {
        if (fetching) control.interrupt();
        else clearInterval(stopping);
      }, 250);
      stopping.unref?.();
    }
    if (!opening) void release();
  };
  const stopper = stopAfter({ ...run, timeoutMs: run.timeoutMs + options.graceMs }, stop);
  function stopped(): Error | undefined {
    if (run.signal?.aborted) return new QueryCancelled();
    if (stopper.timedOut) return new QueryTimeout(run.timeoutMs);
    return undefined;
  }
  const fail = (error: unknown) => stopped() ?? options.failure(error);
  async function fetch<T>(read: () => Promise<T>): Promise<T> {
    fetching = true;
    try {
      return await read();
    } finally {
      fetching = false;
      if (stopping) clearInterval(stopping);
      stopping = undefined;
    }
  }

  let opened: OpenedStream;
  try {
    opened = await fetch(() => open(control));
    control.check();
  } catch (error) {
    stopper.done();
    await release();
    throw fail(error);
  } finally {
    opening = false;
  }
  async function* chunks(): AsyncGenerator<JsonValue[][]> {
    try {
      // Checked around every yield: once stopped or closed, the connection may be gone.
      let rows = opened.first;
      while (rows.length > 0) {
        yield rows;
        control.check();
        if (closed) return;
        rows = await fetch(opened.next);
        control.check();
      }
    } catch (error) {
      if (closed && !stopped()) return;
      throw fail(error);
    } finally {
      stopper.done();
      await release();
    }
  }
  return {
    columns: opened.columns,
    chunks: chunks(),
    close() {
      if (closed) return;
      closed = true;
      stopper.done();
      stop();
    },
  };
}

/** Hands a streamed result to `onBatch` chunk by chunk, waiting for each: a table read for an import. */
export async function readAll(
  result: StreamedResult,
  onBatch: (rows: JsonValue[][]) => Promise<void>,
): Promise<void> {
  try {
    for await (const rows of result.chunks) await onBatch(rows);
  } finally {
    result.close();
  }
}
