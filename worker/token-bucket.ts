/**
 * Token-bucket arithmetic: `burst` tokens, refilled continuously at
 * `ratePerSecond`. Pure, so the send limiter's rules can be tested alone.
 */
export interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface BucketRate {
  ratePerSecond: number;
  burst: number;
}

export type Take = { ok: true; bucket: Bucket } | { ok: false; retryAfter: number };

/** Takes one token from `bucket` at time `now`; an unknown user starts with a full bucket. */
export function takeToken(bucket: Bucket | undefined, now: number, { ratePerSecond, burst }: BucketRate): Take {
  const elapsed = bucket === undefined ? 0 : Math.max(0, now - bucket.updatedAt);
  const tokens = bucket === undefined ? burst : Math.min(burst, bucket.tokens + (elapsed * ratePerSecond) / 1000);
  // A clock that steps back (a room restarted on another machine) must not move the bucket back, or it refills twice.
  const updatedAt = bucket === undefined ? now : Math.max(now, bucket.updatedAt);
  if (tokens >= 1) return { ok: true, bucket: { tokens: tokens - 1, updatedAt } };
  return { ok: false, retryAfter: Math.ceil(((1 - tokens) * 1000) / ratePerSecond) };
}

/** How long an untouched bucket takes to refill completely, in milliseconds. */
export function refillTimeMs({ ratePerSecond, burst }: BucketRate): number {
  return (burst * 1000) / ratePerSecond;
}
