import { rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createClient } from 'redis'
import { flatten, startCollector, type Collector } from '../../src/trace/collector'
import { restEvent } from '../support/lambda'
import {
  bundleFunction,
  NODE_24,
  startLambda,
  systemNode,
  type FunctionBundle,
  type LambdaProcess,
} from '../support/lambda-process'
import { startS3Server } from '../support/s3-server'
import { BENCH_DATABASE, seedMocs } from './bench-database'
import { median, round } from './statistics'
import { VARIANTS, type Variant } from './variants'

/*
 * The benchmark: every variant bundled as deployed, run side by side in Lambda processes on
 * Node 24 (the nodejs24.x runtime) and Node 20, against the local Postgres and Redis and a
 * loopback S3, with the X-Ray documents going to a loopback collector. Invocations of the
 * variants are interleaved round by round, so that drift of a shared machine hits them alike;
 * every figure is a median.
 */

export interface BenchOptions {
  /** Measured rounds of MOC GET invocations (each: every variant, sampled and unsampled). */
  rounds: number
  /** Rounds before measuring (JIT, connections, caches), in each process. */
  warmupRounds: number
  /**
   * Lambda processes per variant, sharing its rounds. One process's figures carry a bias of its
   * own (seen here: ±0.05 ms between identical processes, from JIT decisions, memory layout and
   * the server-side connection it got), which several processes average out.
   */
  processesPerVariant: number
  /** Measured rounds of the promise-heavy handler, in each of its processes. */
  promiseTaxRounds: number
  /** Processes per variant for the promise-heavy handler (see measurePromiseTax). */
  promiseTaxProcesses: number
  /** Cold starts per variant. */
  coldStarts: number
}

export const DEFAULT_OPTIONS: BenchOptions = {
  rounds: 240,
  warmupRounds: 20,
  processesPerVariant: 3,
  promiseTaxRounds: 40,
  promiseTaxProcesses: 7,
  coldStarts: 16,
}

export interface VariantResult {
  variant: Variant['name']
  label: string
  /** Median handler time of MOC GET (cache miss: 4 dependency calls), ms. */
  invocationMs: { sampled: number; unsampled: number }
  /** The same minus the untraced fixture's median, ms. */
  overheadMs: { sampled: number; unsampled: number }
  /** Segments and subsegments one sampled invocation sent. */
  subsegmentsSent: number
  /** UDP datagrams one sampled invocation sent. */
  datagramsSent: number
  /**
   * One iteration of the promise loop (an async function with 4 awaits), µs: the median of the
   * fastest of its processes.
   */
  promiseIterationUs: number
  /** The same over the untraced fixture's. */
  promiseTaxRatio: number
  /** Median time to load and initialise the MOC bundle (module init), ms. */
  coldStartInitMs: number
  /** The same minus the untraced fixture's, ms. */
  coldStartAddedMs: number
  /** Median module init of the bare promise-loop handler with this variant's tracing, ms. */
  libraryInitMs: number
  /** The same minus the bare handler's: what loading the tracing library alone costs, ms. */
  libraryInitAddedMs: number
  /** Size of that bundle minus the bare handler's, bytes. */
  libraryAddedBytes: number
  /** Size of the minified MOC bundle, bytes. */
  bundleBytes: number
  bundleAddedBytes: number
}

export interface NodeResult {
  node: string
  version: string
  variants: VariantResult[]
}

export interface BenchResults {
  date: string
  machine: { cpus: string; cores: number; memoryGb: number; platform: string }
  options: BenchOptions
  durationS: number
  nodes: NodeResult[]
}

interface Bundles {
  moc: Map<Variant['name'], FunctionBundle>
  promiseTax: Map<Variant['name'], FunctionBundle>
}

async function bundleVariants(): Promise<Bundles> {
  const moc = new Map<Variant['name'], FunctionBundle>()
  const promiseTax = new Map<Variant['name'], FunctionBundle>()
  for (const variant of VARIANTS) {
    // The generated runtime is bundled as deployed (the definition's aliases); the others with
    // the SDK's own cls-hooked.
    const alias = variant.asDeployed ? undefined : {}
    moc.set(
      variant.name,
      await bundleFunction(variant.mocHandler, { name: 'moc-instructions', alias }),
    )
    promiseTax.set(
      variant.name,
      await bundleFunction(variant.promiseTaxHandler, { name: 'promise-tax', alias }),
    )
  }
  return { moc, promiseTax }
}

/** Runs the whole benchmark; `log` receives progress lines. */
export async function runBench(
  options: BenchOptions = DEFAULT_OPTIONS,
  log: (line: string) => void = () => undefined,
): Promise<BenchResults> {
  const started = Date.now()
  log('bundling the variants as deployed (esbuild, node24, minified)')
  const bundles = await bundleVariants()
  const nodes = [
    ['Node 24', NODE_24],
    ['Node 20', systemNode(20)],
  ] as const
  const perNode =
    VARIANTS.length *
    2 *
    (options.rounds + options.processesPerVariant * (options.warmupRounds + 1) + 2)
  log(`seeding ${perNode * nodes.length} MOCs in ${BENCH_DATABASE.database}`)
  const ids = await seedMocs(perNode * nodes.length)
  const collector = await startCollector()
  const s3 = await startS3Server()
  const env = {
    AWS_LAMBDA_FUNCTION_NAME: 'lego-api-moc-instructions',
    AWS_XRAY_DAEMON_ADDRESS: collector.address,
    POSTGRES_HOST: BENCH_DATABASE.host,
    POSTGRES_PORT: String(BENCH_DATABASE.port),
    POSTGRES_DB: BENCH_DATABASE.database,
    POSTGRES_USER: BENCH_DATABASE.user,
    POSTGRES_PASSWORD: BENCH_DATABASE.password,
    REDIS_URL: 'redis://127.0.0.1:6379',
    S3_BUCKET: 'lego-api-bench',
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    // MOC GET never searches; the client only needs an address when the module loads.
    OPENSEARCH_ENDPOINT: 'http://127.0.0.1:9200',
    POWERTOOLS_SERVICE_NAME: 'moc-instructions',
  }
  const results: NodeResult[] = []
  try {
    for (const [label, node] of nodes) {
      const nodeIds = ids.splice(0, perNode)
      log(`${label}: cold starts`)
      const coldStarts = await measureColdStarts(bundles.moc, node, env, options.coldStarts)
      log(`${label}: cold starts of the tracing library alone`)
      const libraryStarts = await measureColdStarts(
        bundles.promiseTax,
        node,
        env,
        options.coldStarts,
      )
      log(`${label}: MOC GET invocations`)
      const invocations = await measureInvocations(bundles, node, env, nodeIds, collector, options)
      log(`${label}: promise tax`)
      const promiseTax = await measurePromiseTax(
        bundles,
        node,
        env,
        options.promiseTaxRounds,
        options.promiseTaxProcesses,
      )
      const base = (name: Variant['name']) => name === 'untraced'
      const untraced = VARIANTS.findIndex((v) => base(v.name))
      const baseInvocation = median([
        ...invocations[untraced].sampled,
        ...invocations[untraced].unsampled,
      ])
      results.push({
        node: label,
        version: invocations.version,
        variants: VARIANTS.map((variant, index) => {
          const sampled = median(invocations[index].sampled)
          const unsampled = median(invocations[index].unsampled)
          const bundleBytes = bundles.moc.get(variant.name)!.bytes
          const baseBytes = bundles.moc.get('untraced')!.bytes
          return {
            variant: variant.name,
            label: variant.label,
            invocationMs: { sampled: round(sampled), unsampled: round(unsampled) },
            overheadMs: {
              sampled: round(sampled - baseInvocation),
              unsampled: round(unsampled - baseInvocation),
            },
            subsegmentsSent: invocations[index].subsegmentsSent,
            datagramsSent: invocations[index].datagramsSent,
            promiseIterationUs: round(promiseTax[index] * 1000, 3),
            promiseTaxRatio: round(promiseTax[index] / promiseTax[untraced], 2),
            coldStartInitMs: round(coldStarts[index], 1),
            coldStartAddedMs: round(coldStarts[index] - coldStarts[untraced], 1),
            libraryInitMs: round(libraryStarts[index], 1),
            libraryInitAddedMs: round(libraryStarts[index] - libraryStarts[untraced], 1),
            libraryAddedBytes:
              bundles.promiseTax.get(variant.name)!.bytes -
              bundles.promiseTax.get('untraced')!.bytes,
            bundleBytes,
            bundleAddedBytes: bundleBytes - baseBytes,
          }
        }),
      })
    }
  } finally {
    await collector.close()
    await s3.close()
    await forgetCacheKeys()
    const files = [...bundles.moc.values(), ...bundles.promiseTax.values()].map((b) => b.file)
    await Promise.all(
      files.map((file) => rm(path.dirname(path.dirname(file)), { recursive: true, force: true })),
    )
  }
  const cpus = os.cpus()
  return {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memoryGb: round(os.totalmem() / 2 ** 30, 1),
      platform: `${os.platform()} ${os.release()}`,
    },
    options,
    durationS: round((Date.now() - started) / 1000, 1),
    nodes: results,
  }
}

/**
 * Median module-init time per variant (index of VARIANTS), from fresh processes, interleaved in
 * an order shuffled round by round (the first start of a round reads files the others find cached).
 */
async function measureColdStarts(
  bundles: Map<Variant['name'], FunctionBundle>,
  node: string,
  env: Record<string, string>,
  count: number,
): Promise<number[]> {
  const samples: number[][] = VARIANTS.map(() => [])
  const random = seededRandom(0xc01d)
  for (let round = 0; round < count; round++) {
    for (const [index, variant] of shuffle([...VARIANTS.entries()], random)) {
      const lambda = await startLambda({ bundle: bundles.get(variant.name)!.file, node, env })
      samples[index].push(lambda.initMs)
      await lambda.close()
    }
  }
  return samples.map(median)
}

interface InvocationSamples {
  sampled: number[]
  unsampled: number[]
  subsegmentsSent: number
  datagramsSent: number
}

async function measureInvocations(
  bundles: Bundles,
  node: string,
  env: Record<string, string>,
  ids: string[],
  collector: Collector,
  options: BenchOptions,
): Promise<InvocationSamples[] & { version: string }> {
  // lambdas[variant][process]
  const lambdas: LambdaProcess[][] = []
  try {
    for (const variant of VARIANTS) {
      const processes: LambdaProcess[] = []
      lambdas.push(processes)
      for (let p = 0; p < options.processesPerVariant; p++) {
        processes.push(
          await startLambda({ bundle: bundles.moc.get(variant.name)!.file, node, env }),
        )
      }
    }
    const samples = VARIANTS.map(() => ({
      sampled: [] as number[],
      unsampled: [] as number[],
      subsegmentsSent: 0,
      datagramsSent: 0,
    }))
    const call = async (lambda: LambdaProcess, variant: Variant, sampled: boolean) => {
      const id = ids.pop()!
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
          `${variant.name}: GET /api/mocs/${id} answered ${invocation.result.statusCode} ${invocation.result.body}\n${invocation.logs.join('\n')}`,
        )
      }
      return invocation
    }
    // What one sampled invocation of each variant sends (after the cold one).
    for (const [index, variant] of VARIANTS.entries()) {
      const [lambda] = lambdas[index]
      await call(lambda, variant, true)
      collector.clear()
      const { traceId } = await call(lambda, variant, true)
      const docs = (await collector.waitForQuiet(100)).filter((doc) => doc.trace_id === traceId)
      samples[index].datagramsSent = docs.length
      samples[index].subsegmentsSent = flatten(docs).length
    }
    // Every process in each round, in an order shuffled round by round (seeded: the same order
    // in every run), so that no variant always follows the same one.
    const slots = lambdas.flatMap((processes, index) =>
      processes.map((lambda) => ({ lambda, index })),
    )
    const random = seededRandom(0x5eed)
    const roundsPerProcess = Math.ceil(options.rounds / options.processesPerVariant)
    for (let round = 0; round < options.warmupRounds + roundsPerProcess; round++) {
      collector.clear()
      for (const { lambda, index } of shuffle(slots, random)) {
        for (const sampled of random() < 0.5 ? [true, false] : [false, true]) {
          const { durationMs } = await call(lambda, VARIANTS[index], sampled)
          if (round >= options.warmupRounds) {
            samples[index][sampled ? 'sampled' : 'unsampled'].push(durationMs)
          }
        }
      }
    }
    return Object.assign(samples, { version: await versionOf(node) })
  } finally {
    await Promise.all(lambdas.flat().map((lambda) => lambda.close()))
  }
}

/** A copy of `items` in random order (Fisher-Yates). */
function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Invocations of each promise-loop process before measuring, so its code is optimised by then. */
const PROMISE_TAX_WARMUP = 15

/**
 * Milliseconds per promise-loop iteration, per variant. A process settles at one of two speeds
 * for the same bundle, whatever its tracing (seen here over 8 processes each, untraced: 0.33-0.36
 * or 0.42-0.60 µs per iteration; generated runtime: 0.32-0.34 or 0.50-0.54), so a median over
 * processes flips between the two. Each variant runs in `processes` processes and the figure is
 * the fastest process's median: the same settled speed for every variant, which a real promise
 * tax would still raise.
 */
async function measurePromiseTax(
  bundles: Bundles,
  node: string,
  env: Record<string, string>,
  rounds: number,
  processes: number,
): Promise<number[]> {
  const perProcess: number[][] = VARIANTS.map(() => [])
  const random = seededRandom(0x7a3)
  // One process at a time: the loop measures CPU speed, which other live processes disturb.
  for (let p = 0; p < processes; p++) {
    for (const [index, variant] of shuffle([...VARIANTS.entries()], random)) {
      const lambda = await startLambda({
        bundle: bundles.promiseTax.get(variant.name)!.file,
        node,
        env,
      })
      try {
        const samples: number[] = []
        for (let round = 0; round < rounds + PROMISE_TAX_WARMUP; round++) {
          const { result } = await lambda.invoke<{ loopMs: number; iterations: number }>({})
          if (round >= PROMISE_TAX_WARMUP) samples.push(result.loopMs / result.iterations)
        }
        perProcess[index].push(median(samples))
      } finally {
        await lambda.close()
      }
    }
  }
  return perProcess.map((medians) => Math.min(...medians))
}

async function versionOf(node: string): Promise<string> {
  const { execFileSync } = await import('node:child_process')
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
}

/** The benchmark's cache entries expire on their own in 5 minutes; removing them is tidier. */
async function forgetCacheKeys(): Promise<void> {
  const redis = createClient({ url: 'redis://127.0.0.1:6379' })
  await redis.connect()
  try {
    const client = new (await import('pg')).default.Client(BENCH_DATABASE)
    await client.connect()
    const { rows } = await client.query<{ id: string }>('SELECT id FROM moc_instructions')
    await client.end()
    for (let start = 0; start < rows.length; start += 500) {
      await redis.del(rows.slice(start, start + 500).map((row) => `moc:${row.id}`))
    }
  } finally {
    await redis.quit()
  }
}
