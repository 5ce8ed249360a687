/**
 * Runs the LLM simulator on its own: `PORT=4010 npx tsx src/simulators/llm/main.ts`, then point
 * Sightline at it with `AI_PROVIDER=openai AI_BASE_URL=http://127.0.0.1:4010/v1 OPENAI_API_KEY=any`.
 * Unscripted, it echoes the last user message. Optional: HOST, LLM_SIMULATOR_API_KEY, LLM_SIMULATOR_DELAY_MS.
 */
import { createLlmSimulator } from "./index.js";

const simulator = await createLlmSimulator({
  port: Number(process.env.PORT ?? 4010),
  host: process.env.HOST ?? "127.0.0.1",
  ...(process.env.LLM_SIMULATOR_API_KEY ? { apiKey: process.env.LLM_SIMULATOR_API_KEY } : {}),
  ...(process.env.LLM_SIMULATOR_DELAY_MS ? { delayMs: Number(process.env.LLM_SIMULATOR_DELAY_MS) } : {}),
});
process.stdout.write(`LLM simulator listening at ${simulator.url}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
