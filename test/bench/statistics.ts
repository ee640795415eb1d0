/**
 * The median of `values` (the mean of the two middle ones for an even count).
 *
 * @example
 * median([3, 1, 2]) // 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * The median of the differences `values[i] - baseline[i]` of samples taken side by side (same
 * round): drift of a shared machine between rounds cancels out, which a difference of two
 * medians keeps.
 *
 * @example
 * medianDifference([12, 15, 11], [10, 14, 9]) // 2
 */
export function medianDifference(values: readonly number[], baseline: readonly number[]): number {
  if (values.length !== baseline.length) {
    throw new Error(`medianDifference: ${values.length} values against ${baseline.length}`)
  }
  return median(values.map((value, index) => value - baseline[index]))
}

/**
 * Rounds to `digits` decimals, for reports.
 *
 * @example
 * round(0.123456, 3) // 0.123
 */
export function round(value: number, digits = 3): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
