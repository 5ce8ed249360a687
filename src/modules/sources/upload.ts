import { randomUUID } from "node:crypto";
import { createWriteStream, rmSync } from "node:fs";
import path from "node:path";
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
 * Streams a multipart upload (field `file`) into `uploadDir` under a new name, never whole into
 * memory, and checks it: a supported extension, content that fits it (magic bytes), not empty,
 * within `maxBytes`, and for a workbook a zip whose central directory is no bomb. Anything
 * refused leaves no file behind.
 */
export async function receiveUpload(
  request: FastifyRequest,
  limits: { uploadDir: string; maxBytes: number; maxUncompressedBytes: number },
): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw new Invalid("Send the file as multipart/form-data in a field named file");
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
    throw new Invalid(
      `Invalid upload field: ${fields.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  }
  const declared = uploadFormatOf(part.filename);
  if (!declared) {
    part.file.resume();
    throw new UnsupportedFile(`${part.filename} is not a supported file type (${supportedExtensions})`);
  }
  const storedAs = `${randomUUID()}${path.extname(part.filename).toLowerCase()}`;
  const target = path.join(limits.uploadDir, storedAs);
  let head = Buffer.alloc(0);
  let size = 0;
  part.file.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (head.length < 4096) head = Buffer.concat([head, chunk]).subarray(0, 4096);
  });
  try {
    // Large writes: fewer, bigger syscalls while a big file streams in.
    await pipeline(part.file, createWriteStream(target, { highWaterMark: 1 << 20 }));
    if (part.file.truncated) {
      throw new PayloadTooLarge(`The file is larger than the upload limit of ${limits.maxBytes} bytes`);
    }
    const format = checkContent(head, declared, part.filename);
    if (format === "xlsx") {
      await checkArchive(target, part.filename, { maxUncompressedBytes: limits.maxUncompressedBytes });
    }
    return { fileName: part.filename, storedAs, format, sizeBytes: size, fields: fields.data };
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
