// A site's posture: the weighted mean of the parts that are known, the weights renormalised over
// them (an unknown part neither helps nor hurts); null when no part is known. Each part is 0-100.
export interface PostureParts {
  vuln: number | null;
  baseline: number | null;
  questionnaire: number | null;
}

export type PostureWeights = Record<keyof PostureParts, number>;

export function postureOf(parts: PostureParts, weights: PostureWeights): number | null {
  let sum = 0;
  let weight = 0;
  for (const k of Object.keys(weights) as (keyof PostureParts)[]) {
    const v = parts[k];
    if (v === null || weights[k] === 0) continue;
    sum += weights[k] * v;
    weight += weights[k];
  }
  return weight > 0 ? Math.round((100 * sum) / weight) / 100 : null;
}
