import os from 'node:os'
import {
  bundleFunction,
  NODE_24,
  removeBundle,
  startLambda,
  systemNode,
  type FunctionBundle,
} from '../support/lambda-process'
import { BENCH_DATABASE, seedMocs } from './bench-database'
import { startBenchServers } from './bench-servers'
import { measureInvocations, mocsNeeded, type InvocationOptions } from './measure-invocations'
import { measureTooling, type ToolingOptions, type ToolingResult } from './measure-tooling'
import { seededRandom, shuffle } from './seeded-order'
import { median, medianDifference, round } from './statistics'
import { VARIANTS, type Variant } from './variants'

/*
 * The benchmark: every variant bundled as deployed, run side by side in Lambda processes on
 * Node 24 (the nodejs24.x runtime) and Node 20, against the local Postgres and Redis and a
 * loopback S3, with the X-Ray documents going to a loopback collector. Invocations of the
 * variants are interleaved round by round, so that drift of a shared machine hits them alike;
 * every figure is a median.
 */

export interface BenchOptions extends InvocationOptions, ToolingOptions {
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
  coldStarts: 30,
  genRuns: 5,
  codemodRuns: 10,
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
  /** Median over rounds of its init minus the untraced fixture's in the same round, ms. */
  coldStartAddedMs: number
  /** Median module init of the bare promise-loop handler with this variant's tracing, ms. */
  libraryInitMs: number
  /**
   * Median over rounds of that minus the bare handler's in the same round: what loading the
   * tracing library alone costs, ms.
   */
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
  /** `npm run gen` and the codemod, on the Node that runs the benchmark. */
  tooling: ToolingResult
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
  log('npm run gen and the codemod')
  const tooling = await measureTooling(options)
  log('bundling the variants as deployed (esbuild, node24, minified)')
  const bundles = await bundleVariants()
  const nodes = [
    ['Node 24', NODE_24],
    ['Node 20', systemNode(20)],
  ] as const
  const perNode = mocsNeeded(VARIANTS.length, options)
  log(`seeding ${perNode * nodes.length} MOCs in ${BENCH_DATABASE.database}`)
  const ids = await seedMocs(perNode * nodes.length)
  const servers = await startBenchServers()
  const { collector, env } = servers
  const mocFunctions = VARIANTS.map((variant) => ({
    name: variant.name,
    bundle: bundles.moc.get(variant.name)!.file,
  }))
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
      const invocations = await measureInvocations(
        mocFunctions,
        node,
        env,
        nodeIds,
        collector,
        options,
      )
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
            coldStartInitMs: round(median(coldStarts[index]), 1),
            coldStartAddedMs: round(medianDifference(coldStarts[index], coldStarts[untraced]), 1),
            libraryInitMs: round(median(libraryStarts[index]), 1),
            libraryInitAddedMs: round(
              medianDifference(libraryStarts[index], libraryStarts[untraced]),
              1,
            ),
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
    await servers.close()
    await Promise.all([...bundles.moc.values(), ...bundles.promiseTax.values()].map(removeBundle))
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
    tooling,
  }
}

/**
 * Module-init times per variant (index of VARIANTS), one per round: fresh processes, interleaved
 * in an order shuffled round by round (the first start of a round reads files the others find
 * cached). The rounds line up, so that a variant's cost over another is read round by round.
 */
async function measureColdStarts(
  bundles: Map<Variant['name'], FunctionBundle>,
  node: string,
  env: Record<string, string>,
  count: number,
): Promise<number[][]> {
  const samples: number[][] = VARIANTS.map(() => [])
  const random = seededRandom(0xc01d)
  for (let round = 0; round < count; round++) {
    for (const [index, variant] of shuffle([...VARIANTS.entries()], random)) {
      const lambda = await startLambda({ bundle: bundles.get(variant.name)!.file, node, env })
      samples[index].push(lambda.initMs)
      await lambda.close()
    }
  }
  return samples
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
