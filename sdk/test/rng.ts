// A small seeded PRNG (xorshift128+) for reproducible property tests without a
// dependency: a failing case prints its inputs, and the seed makes it replayable.

export function rng(seed: number) {
  let s0 = BigInt(seed) | 1n;
  let s1 = 0x9e3779b97f4a7c15n;
  const M = (1n << 64n) - 1n;
  const next64 = (): bigint => {
    let x = s0;
    const y = s1;
    s0 = y;
    x = (x ^ (x << 23n)) & M;
    s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return (s1 + y) & M;
  };
  return {
    /** Uniform-ish bigint in [lo, hi]. */
    big(lo: bigint, hi: bigint): bigint {
      const span = hi - lo + 1n;
      let v = 0n;
      for (let bits = 0n; 1n << bits < span * 256n; bits += 64n) v = (v << 64n) | next64();
      return lo + (v % span);
    },
  };
}
