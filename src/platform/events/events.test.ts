import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { hasRedis, redisTestUrl } from "../../../test/helpers/services.js";
import { createLogger } from "../log.js";
import { type AppEvent, createMemoryEventBus, createRedisEventBus, type EventBus } from "./index.js";

const redisAvailable = await hasRedis();
const log = createLogger({ level: "silent" });
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function collect(bus: EventBus) {
  const received: AppEvent[] = [];
  bus.subscribe((event) => received.push(event));
  return received;
}

async function until(predicate: () => boolean, timeoutMs = 2_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("in-process event bus", () => {
  it("delivers each event to every subscriber with a timestamp, until they unsubscribe", async () => {
    const bus = createMemoryEventBus();
    const first = collect(bus);
    const second: AppEvent[] = [];
    const unsubscribe = bus.subscribe((event) => second.push(event));
    await bus.publish({ type: "data_processed", workspaceId: "w1", data: { rows: 10 } });
    unsubscribe();
    await bus.publish({ type: "data_processed", data: { rows: 20 } });
    expect(first.map((event) => event.data.rows)).toEqual([10, 20]);
    expect(second).toHaveLength(1);
    expect(Date.parse(second[0]!.at)).not.toBeNaN();
    expect(second[0]!.workspaceId).toBe("w1");
  });
});

describe.skipIf(!redisAvailable)("Redis event bus", () => {
  it("fans an event out to every process exactly once", async () => {
    const redisA = new Redis(redisTestUrl);
    const redisB = new Redis(redisTestUrl);
    const busA = await createRedisEventBus(redisA, log);
    const busB = await createRedisEventBus(redisB, log);
    closers.push(async () => {
      await busA.close();
      await busB.close();
      redisA.disconnect();
      redisB.disconnect();
    });
    const seenA = collect(busA);
    const seenB = collect(busB);
    const marker = Math.random();
    await busA.publish({ type: "job_progress", data: { marker } });
    const mine = (events: AppEvent[]) => events.filter((event) => event.data.marker === marker);
    await until(() => mine(seenA).length === 1 && mine(seenB).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mine(seenA)).toHaveLength(1);
    expect(mine(seenB)).toHaveLength(1);
  });
});
