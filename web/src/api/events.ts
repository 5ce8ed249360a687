import { useEffect, useRef } from "react";

/** One event of `/api/v1/ws`, as the server sends it. */
export interface LiveEvent {
  type: string;
  workspaceId?: string;
  data: Record<string, unknown>;
  at?: string;
}

const socketUrl = () => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/ws`;
const retryMs = [1_000, 2_000, 5_000, 10_000];

/**
 * Subscribes to the workspace's live events of the given types while mounted, reconnecting when
 * the connection drops. The socket carries the session cookie, like any other call.
 */
export function useLiveEvents(
  workspaceId: string | null,
  types: readonly string[],
  onEvent: (event: LiveEvent) => void,
) {
  const latest = useRef(onEvent);
  latest.current = onEvent;
  const typeList = types.join(",");

  useEffect(() => {
    if (!workspaceId || typeof WebSocket === "undefined") return;
    let socket: WebSocket | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const connect = () => {
      socket = new WebSocket(socketUrl());
      socket.onopen = () => {
        attempt = 0;
        socket?.send(JSON.stringify({ action: "subscribe", types: typeList.split(","), workspaceId }));
      };
      socket.onmessage = (message) => {
        try {
          const event = JSON.parse(String(message.data)) as LiveEvent;
          if (event.workspaceId === workspaceId) latest.current(event);
        } catch {
          // Not an event (a malformed frame): nothing to show.
        }
      };
      socket.onclose = () => {
        if (stopped) return;
        timer = setTimeout(connect, retryMs[Math.min(attempt++, retryMs.length - 1)]);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, [workspaceId, typeList]);
}
