import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import type { Logger } from "../log.js";

/** A live event, fanned out to subscribers in this process and, with Redis, in every process. */
export interface AppEvent {
  type: string;
  /** Set for events that belong to one workspace; relays only send them to its members. */
  workspaceId?: string;
  data: Record<string, unknown>;
  at: string;
}

export interface EventBus {
  readonly kind: "memory" | "redis";
  publish(event: Omit<AppEvent, "at"> & { at?: string }): Promise<void>;
  subscribe(listener: (event: AppEvent) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = "sightline:events";

export function createMemoryEventBus(): EventBus {
  const emitter = new EventEmitter().setMaxListeners(0);
  return {
    kind: "memory",
    async publish(event) {
      emitter.emit("event", { ...event, at: event.at ?? new Date().toISOString() });
    },
    subscribe(listener) {
      emitter.on("event", listener);
      return () => emitter.off("event", listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/**
 * Redis pub/sub: a publish goes through Redis only, so subscribers in this and every other
 * process receive it exactly once.
 */
export async function createRedisEventBus(redis: Redis, log: Logger): Promise<EventBus> {
  const subscriber = redis.duplicate();
  const local = createMemoryEventBus();
  subscriber.on("message", (_channel: string, message: string) => {
    try {
      void local.publish(JSON.parse(message) as AppEvent);
    } catch (error) {
      log.warn({ err: error }, "dropped a malformed event from Redis");
    }
  });
  await subscriber.subscribe(CHANNEL);
  return {
    kind: "redis",
    async publish(event) {
      await redis.publish(CHANNEL, JSON.stringify({ ...event, at: event.at ?? new Date().toISOString() }));
    },
    subscribe: local.subscribe,
    async close() {
      await local.close();
      subscriber.disconnect();
    },
  };
}
