import { performance } from 'node:perf_hooks'

/** Iterations of the promise-heavy loop; each runs an async function with 4 awaits. */
export const ITERATIONS = 2_000

async function fourAwaits(value: number): Promise<number> {
  let sum = await value
  sum += await 1
  sum += await 2
  sum += await 3
  return sum
}

/**
 * A promise-heavy piece of handler work: what a handler pays per promise is what this loop
 * pays per iteration. Returns the loop's time, measured around the loop only.
 */
export async function promiseLoop(): Promise<{ loopMs: number; iterations: number }> {
  const start = performance.now()
  let total = 0
  for (let index = 0; index < ITERATIONS; index++) total += await fourAwaits(index)
  const loopMs = performance.now() - start
  if (total < 0) throw new Error('unreachable: keeps the loop from being optimised away')
  return { loopMs, iterations: ITERATIONS }
}
