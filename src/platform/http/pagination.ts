import { z } from "zod";
import { Invalid } from "../errors.js";

/** Query parameters every list endpoint takes. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("Items per page (1–200)."),
  cursor: z.string().min(1).optional().describe("`nextCursor` of the previous page."),
});

export type PageQuery = z.infer<typeof pageQuery>;

/** A page of items: `nextCursor` is absent on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Cursors are opaque to clients: base64url JSON of the last item's sort key. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor<T extends z.ZodType>(
  cursor: string | undefined,
  shape: T,
): z.infer<T> | undefined {
  if (!cursor) return undefined;
  try {
    return shape.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new Invalid("The cursor is not valid; start again without it", { field: "cursor" });
  }
}
