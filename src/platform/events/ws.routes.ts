import websocket from "@fastify/websocket";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppEvent, EventBus } from "./index.js";

/** What one connected client may receive: its workspaces' events, and platform events for operators. */
export interface EventAccess {
  workspaceIds: ReadonlySet<string>;
  /** Receives events that belong to no workspace (job progress and other platform events). */
  operator: boolean;
  /**
   * Looks again at what the same caller may receive (memberships change; sessions end), without
   * re-reading the credentials of the upgrade request, which may have expired since.
   */
  refresh?: () => Promise<EventAccess>;
}

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

const accessOf = new WeakMap<FastifyRequest, EventAccess>();

/**
 * `/api/v1/ws`: an authenticated client sends `{"action":"subscribe","types":[...],"workspaceId":"..."}`
 * and receives matching events of its own workspaces as JSON `{type, workspaceId, data, at}`.
 * `authorize` runs before the upgrade, so a request without valid credentials is answered 401.
 */
export async function registerEventsSocket(
  app: FastifyInstance,
  bus: EventBus,
  authorize: (request: FastifyRequest) => Promise<EventAccess>,
  recheckMs = 60_000,
) {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  app.get(
    "/api/v1/ws",
    {
      websocket: true,
      schema: { hide: true },
      preValidation: async (request) => {
        accessOf.set(request, await authorize(request));
      },
    },
    (socket, request) => {
      let access = accessOf.get(request) ?? { workspaceIds: new Set<string>(), operator: false };
      let filter: Filter | undefined;
      const send = (payload: unknown) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
      };
      const allowed = (event: AppEvent) =>
        event.workspaceId === undefined ? access.operator : access.workspaceIds.has(event.workspaceId);
      const unsubscribe = bus.subscribe((event: AppEvent) => {
        if (!filter || !allowed(event)) return;
        if (filter.types && !filter.types.has(event.type)) return;
        if (filter.workspaceId && event.workspaceId !== filter.workspaceId) return;
        send(event);
      });
      // Memberships change while a socket stays open: look again every minute, and on subscribe.
      const recheck = setInterval(async () => {
        try {
          access = await (access.refresh?.() ?? authorize(request));
        } catch {
          send({ type: "error", data: { message: "Your session has ended; sign in again" } });
          socket.close(4401, "unauthorized");
        }
      }, recheckMs);
      recheck.unref();
      socket.on("message", async (raw: Buffer) => {
        let parsed: z.infer<typeof clientMessage>;
        try {
          parsed = clientMessage.parse(JSON.parse(raw.toString("utf8")));
        } catch {
          send({ type: "error", data: { message: 'Expected {"action":"subscribe"|"unsubscribe"|"ping"}' } });
          return;
        }
        if (parsed.action === "subscribe") {
          // Memberships may have changed since the connection opened: ask again.
          try {
            access = await (access.refresh?.() ?? authorize(request));
          } catch {
            send({ type: "error", data: { message: "Your session has ended; sign in again" } });
            socket.close(4401, "unauthorized");
            return;
          }
          if (parsed.workspaceId && !access.workspaceIds.has(parsed.workspaceId)) {
            send({ type: "error", data: { message: "Workspace not found" } });
            return;
          }
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
      socket.on("close", () => {
        clearInterval(recheck);
        unsubscribe();
      });
    },
  );
}
