/**
 * Latency summaries: nearest-rank percentiles over every sample, no sampling.
 * The benchmark and the chaos and reliability tests report their figures with it.
 */
export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Summarises samples in milliseconds; an empty set gives NaN figures, which the report prints as "-". */
export function distribution(samples: ArrayLike<number>): Distribution {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}
