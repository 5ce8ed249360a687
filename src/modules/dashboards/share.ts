import { deriveKey, hmac, safeEqual } from "../../platform/crypto.js";
import { NotFound } from "../../platform/errors.js";

/**
 * Signed tokens for public read-only dashboard links: the link's id and its HMAC under a key
 * derived from SECRET_KEY (`<linkId>.<signature>`, short enough for a URL path). A token holds
 * while a dashboard's `publicLinkId` is its link id: renewing or revoking the link ends it.
 */
export function createShareTokens(secretKey: string) {
  const key = deriveKey(secretKey, "dashboard-share");
  const signature = (linkId: string) => hmac(key, `dashboard-link:${linkId}`);
  return {
    sign(linkId: string): string {
      return `${Buffer.from(linkId.replaceAll("-", ""), "hex").toString("base64url")}.${signature(linkId)}`;
    },
    /** The link id of a valid token; a 404 for anything else, so a link reveals nothing. */
    verify(token: string): string {
      const [id, signed] = token.split(".");
      const hex = id ? Buffer.from(id, "base64url").toString("hex") : "";
      if (!signed || hex.length !== 32) throw new NotFound("Dashboard");
      const linkId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      if (!safeEqual(signed, signature(linkId))) throw new NotFound("Dashboard");
      return linkId;
    },
  };
}

export type ShareTokens = ReturnType<typeof createShareTokens>;
