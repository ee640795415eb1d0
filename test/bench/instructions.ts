import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os, { tmpdir } from 'node:os'
import path from 'node:path'
import { flatten, type Collector } from '../../src/trace/collector'
import { restEvent } from '../support/lambda'
import {
  bundleFunction,
  NODE_24,
  removeBundle,
  startLambda,
  type FunctionBundle,
  type LambdaProcess,
} from '../support/lambda-process'
import { seedMocs } from './bench-database'
import { startBenchServers } from './bench-servers'
import {
  assertValgrind,
  callgrindLauncher,
  dumpInstructions,
  optimizingCompilerInstructions,
  setInstrumentation,
} from './callgrind'
import { round } from './statistics'
import { VARIANTS, type Variant } from './variants'

/*
 * `npm run bench -- --instructions`: the MOC GET variants on Node 24 under callgrind, which
 * counts instructions repeatably on this shared machine where a tenth of a millisecond of wall
 * time is noise. Each process loads its bundle (init: instructions up to the module's readiness),
 * warms up, then runs blocks of sampled and of unsampled invocations in turn; a dump of the
 * counters marks each boundary, so a block's count is its invocations alone. Counts repeat to
 * within about 1 % from one process to the next (see NODE_ARGS). Instructions added
 * per invocation are a block's count over the untraced fixture's, divided by its invocations.
 */

export interface InstructionOptions {
  /** Invocations before measuring (JIT tiers, connections), in blocks like the measured ones. */
  warmupInvocations: number
  /** Measured invocations of each kind (sampled, unsampled), in `blocks` blocks of each. */
  measuredInvocations: number
  /** Blocks of sampled and of unsampled invocations each, in the order S U U S S U … */
  blocks: number
  /** Processes per variant, one after another: their spread is the measure's. */
  repeats: number
  /** Processes under callgrind at once. */
  parallel: number
}

export const INSTRUCTION_OPTIONS: InstructionOptions = {
  warmupInvocations: 1_000,
  measuredInvocations: 160,
  blocks: 4,
  repeats: 2,
  parallel: 2,
}

/**
 * Node's options under callgrind: `gc()` for the collections between blocks; a fixed hash seed,
 * without which V8's start-up draws random hash secrets (a primality search) whose cost varies by
 * several million instructions from one process to the next; `--predictable`, which runs the
 * JIT compilers and the garbage collector's helpers on the main thread as they are needed, instead
 * of in background threads whenever those get scheduled: the same work (callgrind counts every
 * thread), done at the same point of every run (without it, two processes of one bundle differed
 * by up to 10 % per invocation); and a young generation fixed at 64 MB per semi-space, so that no
 * collection runs inside a measured block. With V8's default, which starts at 1 MB and grows, a
 * block of 40 invocations that allocated a little more than another crossed the threshold of one
 * more scavenge (2.5 to 5 M instructions) and was charged all of it: the untraced fixture ran
 * none in a block, the generated runtime one or two, about 100 k instructions per invocation of
 * what was a step, not a rate. The young generation's cost is in proportion to the bytes
 * allocated, which the study reports beside the instructions.
 */
const NODE_ARGS = [
  '--expose-gc',
  '--hash-seed=1',
  '--predictable',
  '--min-semi-space-size=64',
  '--max-semi-space-size=64',
]

/**
 * Client timeouts for a process that callgrind slows down fifty times: the generated clients'
 * defaults (2 to 5 s) would fail a request that waits for nothing but the process itself.
 */
const PATIENT_CLIENTS = {
  REDIS_CONNECT_TIMEOUT_MS: '120000',
  REDIS_COMMAND_TIMEOUT_MS: '120000',
  POSTGRES_CONNECT_TIMEOUT_MS: '120000',
  POSTGRES_QUERY_TIMEOUT_MS: '120000',
  S3_CONNECT_TIMEOUT_MS: '120000',
  S3_REQUEST_TIMEOUT_MS: '120000',
}

/** One process's counts. */
export interface InstructionSample {
  /** Instructions from the process's start to the module's readiness. */
  init: number
  /** Instructions per sampled invocation. */
  sampled: number
  /** Instructions per unsampled invocation. */
  unsampled: number
  /** Bytes allocated on the V8 heap per sampled invocation. */
  sampledBytes: number
  /** Bytes allocated on the V8 heap per unsampled invocation. */
  unsampledBytes: number
  /** Segments and subsegments one sampled invocation sent. */
  entitiesSent: number
}

/** What a sample holds and the study compares: instructions, and bytes allocated. */
export type Figure = 'sampled' | 'unsampled' | 'init' | 'sampledBytes' | 'unsampledBytes'

/** A figure over the untraced fixture: per repeat, their mean, and as a ratio to the SDK's. */
export interface AddedInstructions {
  /** Added instructions in each repeat. */
  repeats: number[]
  /** Their mean. */
  mean: number
  /** The repeats' range over their mean, %. */
  spreadPct: number
  /** The mean over the SDK variant's (aws-xray-sdk-core, story-style). */
  ratioToSdk: number
}

export interface VariantInstructions {
  variant: Variant['name']
  label: string
  samples: InstructionSample[]
  /** Over the untraced fixture (undefined for the fixture itself). */
  added?: Record<Figure, AddedInstructions>
}

export interface InstructionResults {
  date: string
  machine: { cpus: string; cores: number; platform: string }
  node: string
  valgrind: string
  options: InstructionOptions
  durationS: number
  variants: VariantInstructions[]
}

/** Runs the instruction study; `log` receives progress lines. */
export async function runInstructions(
  options: InstructionOptions = INSTRUCTION_OPTIONS,
  log: (line: string) => void = () => undefined,
): Promise<InstructionResults> {
  const started = Date.now()
  await assertValgrind()
  log('bundling the MOC variants as deployed (esbuild, node24, minified)')
  const bundles = new Map<Variant['name'], FunctionBundle>()
  for (const variant of VARIANTS) {
    bundles.set(
      variant.name,
      await bundleFunction(variant.mocHandler, {
        name: 'moc-instructions',
        // The generated runtime as deployed; the others with the SDK's own cls-hooked.
        alias: variant.asDeployed ? undefined : {},
      }),
    )
  }
  const { perBlock, warmupPairs } = blockPlan(options)
  // Pairs of blocks: the warm-up, the one not counted, the measured, and 4 spare for blocks run
  // again.
  const perProcess = 2 * perBlock * (warmupPairs + 1 + options.blocks + 4)
  const jobs = Array.from({ length: options.repeats }, (_, repeat) =>
    VARIANTS.map((variant) => ({ variant, repeat })),
  ).flat()
  log(`seeding ${jobs.length * perProcess} MOCs`)
  const ids = await seedMocs(jobs.length * perProcess)
  const servers = await startBenchServers()
  const outDir = await mkdtemp(path.join(tmpdir(), 'callgrind-'))
  const samples = new Map<Variant['name'], InstructionSample[]>(VARIANTS.map((v) => [v.name, []]))
  try {
    let next = 0
    const worker = async () => {
      while (next < jobs.length) {
        const { variant, repeat } = jobs[next++]!
        log(`${variant.name}, repeat ${repeat + 1}: under callgrind`)
        const sample = await measureProcess(
          bundles.get(variant.name)!.file,
          path.join(outDir, `${variant.name}.${repeat}.out`),
          { ...servers.env, ...PATIENT_CLIENTS },
          servers.collector,
          ids.splice(0, perProcess),
          options,
        )
        samples.get(variant.name)![repeat] = sample
        log(
          `${variant.name}, repeat ${repeat + 1}: init ${sample.init}, sampled ${round(sample.sampled, 0)}, unsampled ${round(sample.unsampled, 0)} instructions`,
        )
      }
    }
    await Promise.all(Array.from({ length: options.parallel }, worker))
  } finally {
    await servers.close()
    await rm(outDir, { recursive: true, force: true })
    await Promise.all([...bundles.values()].map(removeBundle))
  }
  const cpus = os.cpus()
  return {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      platform: `${os.platform()} ${os.release()}`,
    },
    node: execFileSync(NODE_24, ['--version'], { encoding: 'utf8' }).trim(),
    valgrind: execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim(),
    options,
    durationS: round((Date.now() - started) / 1000, 1),
    variants: addedInstructions(samples),
  }
}

/** Each variant's samples with what it adds over the untraced fixture, repeat by repeat. */
function addedInstructions(
  samples: Map<Variant['name'], InstructionSample[]>,
): VariantInstructions[] {
  const base = samples.get('untraced')!
  const added = (name: Variant['name'], key: Figure) =>
    samples.get(name)!.map((sample, repeat) => sample[key] - base[repeat]![key])
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
  return VARIANTS.map((variant) => {
    const own = samples.get(variant.name)!
    if (variant.name === 'untraced')
      return { variant: variant.name, label: variant.label, samples: own }
    const figure = (key: Figure): AddedInstructions => {
      const repeats = added(variant.name, key)
      const m = mean(repeats)
      return {
        repeats: repeats.map((r) => Math.round(r)),
        mean: Math.round(m),
        spreadPct: round(((Math.max(...repeats) - Math.min(...repeats)) / Math.abs(m)) * 100, 1),
        ratioToSdk: round(m / mean(added('raw-sdk', key)), 3),
      }
    }
    return {
      variant: variant.name,
      label: variant.label,
      samples: own,
      added: {
        sampled: figure('sampled'),
        unsampled: figure('unsampled'),
        init: figure('init'),
        sampledBytes: figure('sampledBytes'),
        unsampledBytes: figure('unsampledBytes'),
      },
    }
  })
}

/** Invocations per block, and the warm-up's pairs of blocks (a sampled and an unsampled one). */
function blockPlan(options: InstructionOptions): { perBlock: number; warmupPairs: number } {
  const perBlock = Math.ceil(options.measuredInvocations / options.blocks)
  return { perBlock, warmupPairs: Math.ceil(options.warmupInvocations / (2 * perBlock)) }
}

/**
 * One Lambda process under callgrind: its init, a warm-up, then blocks of sampled and unsampled
 * MOC GETs, each a cache miss on its own MOC (Redis GET, SELECT, Redis SET, presign).
 */
async function measureProcess(
  bundle: string,
  outFile: string,
  env: Record<string, string>,
  collector: Collector,
  ids: string[],
  options: InstructionOptions,
): Promise<InstructionSample> {
  const lambda = await startLambda({
    bundle,
    env,
    node: NODE_24,
    launcher: callgrindLauncher(outFile),
    nodeArgs: NODE_ARGS,
    // About fifty times slower under callgrind.
    startTimeoutMs: 600_000,
    invokeTimeoutMs: 120_000,
  })
  try {
    let dumps = 0
    const dump = () => dumpInstructions(lambda.pid, outFile, ++dumps)
    const init = await dump()
    // Blocks of sampled and unsampled invocations in the order S U U S, repeated, so that what
    // still changes (heap growth, a late JIT tier) falls on both alike; the warm-up runs the same
    // pattern, uninstrumented (several times faster), because JIT compilation goes on for
    // hundreds of invocations and a block should count a function in its steady state. Each block
    // starts after a young collection, left out of the counts, and with the young generation fixed
    // large (NODE_ARGS) no collection runs inside one: a block counts what its invocations execute,
    // and the heap's growth over it is what they allocated (whose collection, later, costs in
    // proportion). Not a full collection: V8 then throws away optimised code and type feedback,
    // and the block would count their recompilation (hundreds of thousands of instructions per
    // invocation, which a function in service does not pay).
    const { perBlock, warmupPairs } = blockPlan(options)
    const kinds = (blocks: number) =>
      Array.from({ length: blocks }, (_, b) => (b % 2 === 0 ? [true, false] : [false, true])).flat()
    await setInstrumentation(lambda.pid, false)
    const warmUp = async (pairs: number) => {
      for (const kind of kinds(pairs)) {
        for (let i = 0; i < perBlock; i++) await getMoc(lambda, ids.pop()!, kind)
      }
    }
    await warmUp(warmupPairs)
    await setInstrumentation(lambda.pid, true)
    const block = async (sampled: boolean) => {
      if (!(await lambda.collectGarbage({ young: true }))) {
        throw new Error('no gc() in the Lambda process')
      }
      const before = await lambda.heapState()
      await dump()
      let traceId = ''
      for (let i = 0; i < perBlock; i++) {
        traceId = (await getMoc(lambda, ids.pop()!, sampled)).traceId
      }
      const counted = await dump()
      // Optimising compilation still happens now and then after a long warm-up (a TurboFan job
      // is tens of millions of instructions, landing in one block or another): a start-up cost
      // of the function, not a cost of each invocation, so it is left out of the block's count.
      const compiling = await optimizingCompilerInstructions(outFile, dumps)
      const instructions = counted - compiling
      const after = await lambda.heapState()
      const collected = after.collections !== before.collections
      return { instructions, allocated: after.usedBytes - before.usedBytes, traceId, collected }
    }
    // A block in which a collection ran anyway (an incremental full one, rarely) is run again:
    // its count holds the collection and its bytes are no longer what it allocated.
    const measuredBlock = async (sampled: boolean) => {
      for (let attempt = 1; ; attempt++) {
        const measured = await block(sampled)
        if (!measured.collected) return measured
        if (attempt === 3) {
          throw new Error(
            `garbage collections ran inside three blocks in a row of ${bundle}: raise the young generation (--min-semi-space-size in NODE_ARGS)`,
          )
        }
      }
    }
    // One pair more, instrumented and not counted: the first block after the warm-up counted
    // about 0.8 M instructions per invocation more than the others (deoptimisations), in every
    // variant, the untraced fixture too.
    for (const kind of kinds(1)) await block(kind)
    let sampled = 0
    let unsampled = 0
    let sampledBytes = 0
    let unsampledBytes = 0
    let traceId = ''
    for (const kind of kinds(options.blocks)) {
      const measured = await measuredBlock(kind)
      if (!kind) {
        unsampled += measured.instructions
        unsampledBytes += measured.allocated
      } else {
        sampled += measured.instructions
        sampledBytes += measured.allocated
        traceId = measured.traceId
      }
    }
    // The trace of the last sampled invocation, sent before it returned (a dump takes longer than
    // a loopback datagram); other processes' documents are left for them.
    const docs = collector.documents().filter((doc) => doc.trace_id === traceId)
    const invocations = perBlock * options.blocks
    return {
      init,
      sampled: sampled / invocations,
      unsampled: unsampled / invocations,
      sampledBytes: sampledBytes / invocations,
      unsampledBytes: unsampledBytes / invocations,
      entitiesSent: flatten(docs).length,
    }
  } finally {
    await lambda.close()
  }
}

async function getMoc(lambda: LambdaProcess, id: string, sampled: boolean) {
  const event = restEvent({
    method: 'GET',
    resource: '/api/mocs/{id}',
    pathParameters: { id },
    userId: 'bench-user',
  })
  const invocation = await lambda.invoke<{ statusCode: number; body: string }>(event, { sampled })
  if (invocation.result.statusCode !== 200) {
    throw new Error(
      `GET /api/mocs/${id} answered ${invocation.result.statusCode} ${invocation.result.body}\n${invocation.logs.join('\n')}`,
    )
  }
  return invocation
}
