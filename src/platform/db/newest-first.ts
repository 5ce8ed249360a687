import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import { decodeCursor, encodeCursor } from "../http/pagination.js";

const cursorShape = z.object({ t: z.iso.datetime(), id: z.uuid() });

/**
 * Keyset pagination over (created_at, id), newest first, the order of every log-like list.
 * `where` is the condition that goes with the page's cursor; `page` cuts the rows fetched
 * with `limit + 1` and names the next cursor.
 */
export function newestFirst(columns: { createdAt: PgColumn; id: PgColumn }, cursor: string | undefined) {
  const after = decodeCursor(cursor, cursorShape);
  const at = after ? new Date(after.t) : undefined;
  return {
    where: (at && after
      ? or(lt(columns.createdAt, at), and(eq(columns.createdAt, at), lt(columns.id, after.id)))
      : undefined) as SQL | undefined,
    orderBy: [desc(columns.createdAt), desc(columns.id)] as const,
    page<T extends { createdAt: Date; id: string }>(rows: T[], limit: number) {
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor:
          rows.length > limit && last ? encodeCursor({ t: last.createdAt.toISOString(), id: last.id }) : null,
      };
    },
  };
}
