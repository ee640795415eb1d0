/**
 * A copy of `items` in random order (Fisher-Yates), drawn from `random`.
 *
 * @example
 * const order = shuffle(processes, seededRandom(1))
 */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy
}

/**
 * mulberry32: a small seeded generator of numbers in [0, 1), so that a benchmark's "random"
 * orders are the same in every run.
 *
 * @example
 * const random = seededRandom(0x5eed)
 * if (random() < 0.5) sampledFirst()
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
