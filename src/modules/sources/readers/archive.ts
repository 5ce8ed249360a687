import yauzl, { type Entry, type ZipFile } from "yauzl";
import { AppError } from "../../../platform/errors.js";
import { UnsupportedFile } from "../sniff.js";

export class ArchiveTooLarge extends AppError {
  constructor(message: string) {
    super(413, "archive_too_large", message);
  }
}

/** An entry this much larger than its compressed size is a zip bomb, not a spreadsheet. */
const maxRatio = 100;
/** …once it is large enough to matter. */
const ratioFloor = 8 * 1024 * 1024;
const maxEntries = 10_000;

const open = (file: string) =>
  new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (error, zip) =>
      error || !zip ? reject(error) : resolve(zip),
    ),
  );

async function* entries(zip: ZipFile): AsyncGenerator<Entry> {
  while (true) {
    const next = await new Promise<Entry | undefined>((resolve, reject) => {
      const cleanup = () => {
        zip.off("entry", onEntry);
        zip.off("end", onEnd);
        zip.off("error", onError);
      };
      const onEntry = (entry: Entry) => {
        cleanup();
        resolve(entry);
      };
      const onEnd = () => {
        cleanup();
        resolve(undefined);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      zip.on("entry", onEntry);
      zip.on("end", onEnd);
      zip.on("error", onError);
      zip.readEntry();
    });
    if (!next) return;
    yield next;
  }
}

/** Inflates one entry to nowhere, counting its bytes; yauzl fails it when they differ from the declared size. */
async function inflatedSize(zip: ZipFile, entry: Entry, budget: number): Promise<number> {
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
    zip.openReadStream(entry, (error, readable) => (error || !readable ? reject(error) : resolve(readable))),
  );
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    if (bytes > budget) {
      (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
      break;
    }
  }
  return bytes;
}

/**
 * Refuses a zip (an .xlsx) that would expand past `maxUncompressedBytes`, holds an entry
 * compressed more than 100:1, or is not a readable zip at all — before anything parses it.
 * The central directory's sizes are checked first (cheap); `verify` then inflates every entry
 * to check the sizes are true, since a crafted archive can declare less than it holds.
 */
export async function checkArchive(
  file: string,
  label: string,
  limits: { maxUncompressedBytes: number; verify?: boolean },
): Promise<{ entries: number; uncompressedBytes: number }> {
  let zip: ZipFile;
  try {
    zip = await open(file);
  } catch {
    throw new UnsupportedFile(`${label} is not a readable Excel workbook (its zip structure is damaged)`);
  }
  const tooLarge = (size: number) =>
    new ArchiveTooLarge(
      `${label} expands to more than ${limits.maxUncompressedBytes} bytes (${size} or more) and was refused`,
    );
  try {
    const all: Entry[] = [];
    let total = 0;
    try {
      for await (const entry of entries(zip)) {
        all.push(entry);
        if (all.length > maxEntries)
          throw new ArchiveTooLarge(`${label} holds more than ${maxEntries} files`);
        total += entry.uncompressedSize;
        if (total > limits.maxUncompressedBytes) throw tooLarge(total);
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (entry.uncompressedSize > ratioFloor && ratio > maxRatio) {
          throw new ArchiveTooLarge(
            `${label} holds ${entry.fileName}, compressed ${Math.round(ratio)}:1 (${entry.uncompressedSize} bytes): that is a zip bomb, not a workbook`,
          );
        }
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new UnsupportedFile(`${label} is not a readable Excel workbook (${(error as Error).message})`);
    }
    if (limits.verify) {
      let inflated = 0;
      for (const entry of all) {
        try {
          inflated += await inflatedSize(zip, entry, limits.maxUncompressedBytes - inflated);
        } catch (error) {
          throw new ArchiveTooLarge(
            `${label} is damaged or crafted: ${entry.fileName} does not hold what it declares (${(error as Error).message})`,
          );
        }
        if (inflated > limits.maxUncompressedBytes) throw tooLarge(inflated);
      }
    }
    return { entries: all.length, uncompressedBytes: total };
  } finally {
    zip.close();
  }
}
