/**
 * A seeded uniform generator on [0, 1) (mulberry32): the same seed draws the same numbers on every
 * machine, so a Monte Carlo figure is reproducible. Not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Successes in `trials` independent draws that each succeed with probability `p`. */
export function drawBinomial(trials: number, p: number, random: () => number): number {
  let successes = 0;
  for (let i = 0; i < trials; i++) if (random() < p) successes++;
  return successes;
}
