import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { RateLimited } from "../../platform/errors.js";

export interface AuthLimitOptions {
  perIp: number;
  perAccount: number;
  windowMs: number;
  /** Shares counts between processes; in-process counters otherwise. */
  redis?: Redis;
}

/**
 * Two limits on every auth endpoint: per client IP (one machine hammering many accounts) and
 * per e-mail address (many machines hammering one account). Each endpoint counts on its own.
 */
export function createAuthLimits(options: AuthLimitOptions) {
  const duration = Math.max(1, Math.ceil(options.windowMs / 1000));
  const make = (points: number, keyPrefix: string) =>
    options.redis
      ? new RateLimiterRedis({
          storeClient: options.redis,
          points,
          duration,
          keyPrefix: `sightline:auth:${keyPrefix}`,
        })
      : new RateLimiterMemory({ points, duration, keyPrefix });
  const byIp = make(options.perIp, "ip");
  const byAccount = make(options.perAccount, "account");

  async function take(limiter: RateLimiterMemory | RateLimiterRedis, key: string, what: string) {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new RateLimited(`Too many attempts ${what}: try again in ${seconds} s`, seconds);
    }
  }

  return {
    /** Counts one request to `endpoint`; throws 429 with Retry-After when a limit is spent. */
    async check(endpoint: string, ip: string, email?: string): Promise<void> {
      await take(byIp, `${endpoint}:${ip}`, "from this address");
      if (email) await take(byAccount, `${endpoint}:${email.trim().toLowerCase()}`, "for this account");
    },
  };
}

export type AuthLimits = ReturnType<typeof createAuthLimits>;
