import levenshtein from 'fastest-levenshtein';

/**
 * The candidate the user most likely meant, or undefined when none is close. Case differences alone
 * always count as close ("json" → "JSON"), and so does one name starting the other ("stopped" → "stop").
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  const sameButCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameButCase !== undefined) return sameButCase;
  // "stopped" → "stop", "thinking" → "thinkingLevel": one is the start of the other.
  const prefixed = lower.length >= 3 ? candidates.find((c) => c.toLowerCase().startsWith(lower) || (c.length >= 3 && lower.startsWith(c.toLowerCase()))) : undefined;
  if (prefixed !== undefined) return prefixed;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = levenshtein.distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const tolerance = Math.max(2, Math.floor(input.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

/** `did you mean "x"?`, or undefined. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const match = suggest(input, candidates);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}
