/** The central interval of a binomial distribution: the counts a fair sampler keeping `p` of `n` lands in with the given confidence. */

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

function pmf(n: number, k: number, p: number): number {
  if (p <= 0) return k === 0 ? 1 : 0;
  if (p >= 1) return k === n ? 1 : 0;
  return Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log(1 - p));
}

/** The smallest `low` and largest `high` with P(X < low) ≤ α/2 and P(X > high) ≤ α/2, for X ~ Binomial(n, p). */
export function binomialInterval(n: number, p: number, confidence = 0.99): { low: number; high: number } {
  const tail = (1 - confidence) / 2;
  let cumulative = 0;
  let low = 0;
  for (let k = 0; k <= n; k++) {
    const next = cumulative + pmf(n, k, p);
    if (next > tail) {
      low = k;
      break;
    }
    cumulative = next;
  }
  cumulative = 0;
  let high = n;
  for (let k = n; k >= 0; k--) {
    const next = cumulative + pmf(n, k, p);
    if (next > tail) {
      high = k;
      break;
    }
    cumulative = next;
  }
  return { low, high };
}
