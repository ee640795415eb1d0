import { describe, expect, it } from 'vitest'
import { median, medianDifference } from './statistics'

describe('benchmark statistics', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNaN()
  })

  it('reads a cost round by round, so drift between rounds cancels out', () => {
    // The machine slows down by 10 ms each round; the traced variant always costs 2 ms more.
    const untraced = [100, 110, 120, 130, 140]
    const traced = [102, 112, 122, 132, 142]
    expect(medianDifference(traced, untraced)).toBe(2)
    // A slow round for one variant only is an outlier, not a shift.
    expect(medianDifference([102, 112, 160, 132, 142], untraced)).toBe(2)
  })

  it('refuses samples that do not line up', () => {
    expect(() => medianDifference([1, 2], [1])).toThrow('2 values against 1')
  })
})
