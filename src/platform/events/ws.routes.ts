import websocket from "@fastify/websocket";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppEvent, EventBus } from "./index.js";

const clientMessage = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("subscribe"),
    types: z.array(z.string().min(1)).optional(),
    workspaceId: z.string().min(1).optional(),
  }),
  z.object({ action: z.literal("unsubscribe") }),
  z.object({ action: z.literal("ping") }),
]);

interface Filter {
  types?: Set<string>;
  workspaceId?: string;
}

/**
 * `/api/v1/ws`: a client sends `{"action":"subscribe","types":[...],"workspaceId":"..."}` and
 * receives matching events as JSON `{type, workspaceId, data, at}` until it unsubscribes.
 */
export async function registerEventsSocket(app: FastifyInstance, bus: EventBus) {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  app.get("/api/v1/ws", { websocket: true, schema: { hide: true } }, (socket) => {
    let filter: Filter | undefined;
    const send = (payload: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
    };
    const unsubscribe = bus.subscribe((event: AppEvent) => {
      if (!filter) return;
      if (filter.types && !filter.types.has(event.type)) return;
      if (filter.workspaceId && event.workspaceId !== filter.workspaceId) return;
      send(event);
    });
    socket.on("message", (raw: Buffer) => {
      let parsed: z.infer<typeof clientMessage>;
      try {
        parsed = clientMessage.parse(JSON.parse(raw.toString("utf8")));
      } catch {
        send({ type: "error", data: { message: 'Expected {"action":"subscribe"|"unsubscribe"|"ping"}' } });
        return;
      }
      if (parsed.action === "subscribe") {
        filter = {
          ...(parsed.types ? { types: new Set(parsed.types) } : {}),
          ...(parsed.workspaceId ? { workspaceId: parsed.workspaceId } : {}),
        };
        send({
          type: "subscribed",
          data: { types: parsed.types ?? "all", workspaceId: parsed.workspaceId ?? null },
        });
      } else if (parsed.action === "unsubscribe") {
        filter = undefined;
        send({ type: "unsubscribed", data: {} });
      } else {
        send({ type: "pong", data: {} });
      }
    });
    socket.on("close", unsubscribe);
  });
}
