import { Unavailable, Upstream } from "../errors.js";
import type { AiObjectCall, AiTextCall, OfflineEngine } from "./types.js";

/** The deterministic engines modules register; with AI_PROVIDER=offline every call is answered by one. */
export function createOfflineEngines() {
  const engines = new Map<string, OfflineEngine>();

  function engineFor(name: string, kind: "text" | "object"): OfflineEngine {
    const engine = engines.get(name);
    if (!engine) {
      const known = [...engines.keys()].sort().join(", ") || "none";
      throw new Unavailable(`No offline engine named "${name}" is registered (registered: ${known})`);
    }
    if (!engine[kind])
      throw new Unavailable(
        `The offline engine "${name}" does not generate ${kind === "text" ? "text" : "objects"}`,
      );
    return engine;
  }

  return {
    register(name: string, engine: OfflineEngine) {
      if (engines.has(name)) throw new Error(`An offline engine named "${name}" is already registered`);
      engines.set(name, engine);
    },

    async text(call: AiTextCall): Promise<string> {
      return engineFor(call.engine, "text").text!(call);
    },

    /** The engine's object, held to the call's schema like a model's would be. */
    async object<T>(call: AiObjectCall<T>): Promise<T> {
      const value = await engineFor(call.engine, "object").object!(call as AiObjectCall<unknown>);
      const parsed = call.schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
        throw new Upstream(
          `The offline engine "${call.engine}" returned an object that does not match ${call.schemaName}${where}: ${issue?.message ?? "invalid"}`,
          { engine: call.engine, schemaName: call.schemaName },
        );
      }
      return parsed.data;
    },
  };
}

export type OfflineEngines = ReturnType<typeof createOfflineEngines>;
