import { randomUUID } from "node:crypto";
import { createWriteStream, rmSync } from "node:fs";
import path from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { Invalid, PayloadTooLarge } from "../../platform/errors.js";
import { checkArchive, supportedExtensions, type UploadFormat, uploadFormatOf } from "./readers/index.js";
import { checkContent, UnsupportedFile } from "./sniff.js";

/** Multipart fields that may come with a file; they must precede the file part to be read. */
export const uploadFields = z.object({
  rowPolicy: z.enum(["reject", "skip"]).optional(),
  mode: z.enum(["replace", "append"]).optional(),
});

export interface ReceivedUpload {
  fileName: string;
  /** The file's name in the workspace's upload directory. */
  storedAs: string;
  format: UploadFormat;
  sizeBytes: number;
  fields: z.infer<typeof uploadFields>;
}

/**
 * Content types a file may also be sent as: the request body is the file itself
 * (`curl --data-binary @orders.csv -H 'content-type: text/csv' '…/sources?fileName=orders.csv'`),
 * with the fields in the query string. No multipart parsing: the fastest way in.
 */
export const rawUploadTypes = [
  "application/octet-stream",
  "text/csv",
  "text/tab-separated-values",
  "application/x-ndjson",
  "application/vnd.apache.parquet",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.sqlite3",
  "application/x-sqlite3",
];

/** The query string of a raw upload: the file's name and the fields a multipart upload sends as parts. */
export const rawUploadQuery = uploadFields.extend({
  fileName: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe("Raw uploads (the body is the file): the file's name, whose extension says its format."),
});

/**
 * Receives an upload into `uploadDir` under a new name, streamed, never whole in memory: a
 * multipart upload (field `file`, its fields before it) or a raw one (the body is the file; name
 * and fields in the query string). Then checks it: a supported extension, content that fits it
 * (magic bytes), not empty, within `maxBytes`, and for a workbook a zip whose central directory
 * is no bomb. Anything refused leaves no file behind.
 */
export async function receiveUpload(
  request: FastifyRequest,
  limits: { uploadDir: string; maxBytes: number; maxUncompressedBytes: number },
): Promise<ReceivedUpload> {
  if (request.isMultipart()) return receiveMultipart(request, limits);
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!rawUploadTypes.includes(type)) {
    throw new Invalid(
      "Send the file as multipart/form-data in a field named file, or as the request body " +
        "(content-type application/octet-stream) with ?fileName=",
    );
  }
  const query = rawUploadQuery.safeParse(request.query ?? {});
  if (!query.success) throw new Invalid(`Invalid upload field: ${issuesOf(query.error)}`);
  const { fileName, ...fields } = query.data;
  if (!fileName) throw new Invalid("Name the file in the query string: ?fileName=orders.csv");
  const declared = uploadFormatOf(fileName);
  if (!declared)
    throw new UnsupportedFile(`${fileName} is not a supported file type (${supportedExtensions})`);
  const body = request.raw;
  let refused: PayloadTooLarge | undefined;
  let received = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > limits.maxBytes) {
        refused = new PayloadTooLarge(`The file is larger than the upload limit of ${limits.maxBytes} bytes`);
        done(refused);
        return;
      }
      done(null, chunk);
    },
  });
  // A client that goes away mid-upload fails the upload, leaving nothing behind.
  body.once("error", (error) => capped.destroy(error));
  body.once("close", () => {
    if (!body.complete)
      capped.destroy(new Invalid("The upload was interrupted before the file was complete"));
  });
  return store(body.pipe(capped), fileName, declared, fields, limits, () => refused);
}

const issuesOf = (error: z.ZodError) =>
  error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");

async function receiveMultipart(
  request: FastifyRequest,
  limits: { uploadDir: string; maxBytes: number; maxUncompressedBytes: number },
): Promise<ReceivedUpload> {
  const part = await request.file();
  if (!part) throw new Invalid("No file in the upload: send it in a field named file");
  const raw: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(part.fields)) {
    const value = Array.isArray(field) ? field[0] : field;
    if (value && value.type === "field" && name !== part.fieldname) raw[name] = value.value;
  }
  const fields = uploadFields.safeParse(raw);
  if (!fields.success) {
    part.file.resume();
    throw new Invalid(`Invalid upload field: ${issuesOf(fields.error)}`);
  }
  const declared = uploadFormatOf(part.filename);
  if (!declared) {
    part.file.resume();
    throw new UnsupportedFile(`${part.filename} is not a supported file type (${supportedExtensions})`);
  }
  return store(part.file, part.filename, declared, fields.data, limits, () =>
    part.file.truncated
      ? new PayloadTooLarge(`The file is larger than the upload limit of ${limits.maxBytes} bytes`)
      : undefined,
  );
}

/** Streams one file to disk and checks it; on any refusal the file is removed. */
async function store(
  input: Readable,
  fileName: string,
  declared: UploadFormat,
  fields: z.infer<typeof uploadFields>,
  limits: { uploadDir: string; maxUncompressedBytes: number },
  tooLarge: () => PayloadTooLarge | undefined,
): Promise<ReceivedUpload> {
  const storedAs = `${randomUUID()}${path.extname(fileName).toLowerCase()}`;
  const target = path.join(limits.uploadDir, storedAs);
  let head = Buffer.alloc(0);
  let size = 0;
  input.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (head.length < 4096) head = Buffer.concat([head, chunk]).subarray(0, 4096);
  });
  try {
    // Large writes: fewer, bigger syscalls while a big file streams in.
    await pipeline(input, createWriteStream(target, { highWaterMark: 1 << 20 })).catch((error: unknown) => {
      throw tooLarge() ?? error;
    });
    const refused = tooLarge();
    if (refused) throw refused;
    const format = checkContent(head, declared, fileName);
    if (format === "xlsx") {
      await checkArchive(target, fileName, { maxUncompressedBytes: limits.maxUncompressedBytes });
    }
    return { fileName, storedAs, format, sizeBytes: size, fields };
  } catch (error) {
    rmSync(target, { force: true });
    throw error;
  }
}

/** A file uploaded onto an existing source, waiting in the ingest job's payload. */
export const pendingUpload = z.object({
  fileName: z.string(),
  storedAs: z.string(),
  format: z.enum(["csv", "tsv", "json", "ndjson", "parquet", "xlsx", "sqlite", "duckdb"]),
  sizeBytes: z.number().int(),
  mode: z.enum(["replace", "append"]),
});
export type PendingUpload = z.infer<typeof pendingUpload>;
