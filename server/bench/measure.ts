/** Timing helpers for benchmarks (never used by tests: tests assert behaviour, not speed). */
export interface Stats {
  runs: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

export function summarize(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
  const round = (x: number) => Math.round(x * 100) / 100;
  return { runs: s.length, median: round(at(0.5)), p95: round(at(0.95)), min: round(s[0]), max: round(s[s.length - 1]) };
}

/** Runs `fn` `runs` times after two warm-up runs and returns the timing distribution in ms. */
export function measure(runs: number, fn: () => void): Stats {
  fn();
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

export async function measureAsync(runs: number, fn: () => Promise<void>): Promise<Stats> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}
