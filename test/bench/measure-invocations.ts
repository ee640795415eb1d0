import { execFileSync } from 'node:child_process'
import { flatten, type Collector } from '../../src/trace/collector'
import { restEvent } from '../support/lambda'
import { startLambda, type LambdaProcess } from '../support/lambda-process'
import { seededRandom, shuffle } from './seeded-order'

/** A bundled MOC function the benchmark invokes. */
export interface BenchFunction {
  /** Names it in errors. */
  name: string
  /** Its `index.mjs`. */
  bundle: string
}

export interface InvocationOptions {
  /** Measured MOC GET invocations per function, sampled and unsampled each. */
  rounds: number
  /** Rounds before measuring (JIT, connections, caches), in each process. */
  warmupRounds: number
  /**
   * Lambda processes per function, sharing its rounds. One process's figures carry a bias of its
   * own (seen here: ±0.05 ms between identical processes, from JIT decisions, memory layout and
   * the server-side connection it got), which several processes average out.
   */
  processesPerVariant: number
}

export interface InvocationSamples {
  /** Handler times of sampled invocations, ms. */
  sampled: number[]
  /** Handler times of unsampled invocations, ms. */
  unsampled: number[]
  /** Segments and subsegments one sampled invocation sent. */
  subsegmentsSent: number
  /** UDP datagrams one sampled invocation sent. */
  datagramsSent: number
}

/**
 * How many MOCs `measureInvocations` reads for `count` functions: one per invocation, so that
 * every request misses the cache.
 *
 * @example
 * const ids = await seedMocs(mocsNeeded(4, options))
 */
export function mocsNeeded(count: number, options: InvocationOptions): number {
  return count * 2 * (options.rounds + options.processesPerVariant * (options.warmupRounds + 1) + 2)
}

/**
 * Invokes MOC `GET /api/mocs/{id}` (a cache miss: Redis GET, SELECT, Redis SET, presign) on each
 * function, in `processesPerVariant` Lambda processes each, sampled and unsampled, round by
 * round in an order shuffled each round (seeded: the same order in every run), so that drift of
 * a shared machine hits them alike and no function always follows the same one. Returns the
 * samples per function, in the order given, and the Node version that ran them.
 *
 * @example
 * const samples = await measureInvocations(functions, NODE_24, env, ids, collector, options)
 */
export async function measureInvocations(
  functions: readonly BenchFunction[],
  node: string,
  env: Record<string, string>,
  ids: string[],
  collector: Collector,
  options: InvocationOptions,
): Promise<InvocationSamples[] & { version: string }> {
  // lambdas[function][process]
  const lambdas: LambdaProcess[][] = []
  try {
    for (const fn of functions) {
      const processes: LambdaProcess[] = []
      lambdas.push(processes)
      for (let p = 0; p < options.processesPerVariant; p++) {
        processes.push(await startLambda({ bundle: fn.bundle, node, env }))
      }
    }
    const samples: InvocationSamples[] = functions.map(() => ({
      sampled: [],
      unsampled: [],
      subsegmentsSent: 0,
      datagramsSent: 0,
    }))
    const call = async (lambda: LambdaProcess, fn: BenchFunction, sampled: boolean) => {
      const id = ids.pop()
      if (!id) throw new Error('measureInvocations ran out of MOC ids: seed mocsNeeded() of them')
      const event = restEvent({
        method: 'GET',
        resource: '/api/mocs/{id}',
        pathParameters: { id },
        userId: 'bench-user',
      })
      const invocation = await lambda.invoke<{ statusCode: number; body: string }>(event, {
        sampled,
      })
      const body = JSON.parse(invocation.result.body) as { instructionsUrl?: string }
      if (invocation.result.statusCode !== 200 || !body.instructionsUrl) {
        throw new Error(
          `${fn.name}: GET /api/mocs/${id} answered ${invocation.result.statusCode} ${invocation.result.body}\n${invocation.logs.join('\n')}`,
        )
      }
      return invocation
    }
    // What one sampled invocation of each function sends (after the cold one).
    for (const [index, fn] of functions.entries()) {
      const [lambda] = lambdas[index]!
      await call(lambda!, fn, true)
      collector.clear()
      const { traceId } = await call(lambda!, fn, true)
      const docs = (await collector.waitForQuiet(100)).filter((doc) => doc.trace_id === traceId)
      samples[index]!.datagramsSent = docs.length
      samples[index]!.subsegmentsSent = flatten(docs).length
    }
    const slots = lambdas.flatMap((processes, index) =>
      processes.map((lambda) => ({ lambda, index })),
    )
    const random = seededRandom(0x5eed)
    const roundsPerProcess = Math.ceil(options.rounds / options.processesPerVariant)
    for (let round = 0; round < options.warmupRounds + roundsPerProcess; round++) {
      collector.clear()
      for (const { lambda, index } of shuffle(slots, random)) {
        for (const sampled of random() < 0.5 ? [true, false] : [false, true]) {
          const { durationMs } = await call(lambda, functions[index]!, sampled)
          if (round >= options.warmupRounds) {
            samples[index]![sampled ? 'sampled' : 'unsampled'].push(durationMs)
          }
        }
      }
    }
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
    return Object.assign(samples, { version })
  } finally {
    await Promise.all(lambdas.flat().map((lambda) => lambda.close()))
  }
}
