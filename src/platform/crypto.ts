import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

/** A 32-byte key for one purpose, derived from SECRET_KEY so that purposes never share a key. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "sightline", purpose, 32));
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

export function hmac(key: Buffer, value: string): string {
  return createHmac("sha256", key).update(value).digest("base64url");
}

/** A random URL-safe token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const SEALED_VERSION = "v1";

/** A sealed value could not be opened: SECRET_KEY changed, or the value was altered. */
export class SealBroken extends Error {
  constructor() {
    super("The encrypted value could not be decrypted: SECRET_KEY changed or the value was altered");
    this.name = "SealBroken";
  }
}

/**
 * Encrypts `plaintext` with AES-256-GCM under a key derived from `secret` for `purpose`:
 * `v1.<iv>.<tag>.<ciphertext>`, base64url parts and a random 12-byte IV. `context` (e.g. the
 * row's id) is authenticated but not stored, so a value copied to another row does not open.
 */
export function seal(secret: string, purpose: string, plaintext: string, context = ""): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(secret, purpose), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [SEALED_VERSION, iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Opens what `seal` produced with the same secret, purpose and context; throws `SealBroken` otherwise. */
export function unseal(secret: string, purpose: string, sealed: string, context = ""): string {
  const [version, iv, tag, body, ...rest] = sealed.split(".");
  if (
    version !== SEALED_VERSION ||
    iv === undefined ||
    tag === undefined ||
    body === undefined ||
    rest.length
  ) {
    throw new SealBroken();
  }
  try {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      deriveKey(secret, purpose),
      Buffer.from(iv, "base64url"),
    );
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SealBroken();
  }
}
