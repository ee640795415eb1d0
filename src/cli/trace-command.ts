import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import writeFileAtomic from 'write-file-atomic'
import { legoApi } from '../manifest'
import { compileFilter, FilterSyntaxError, type TraceFilter } from '../trace/filter-expression'
import { localBackends } from '../trace/local-backends'
import { resolveRoute, RouteNotFoundError } from '../trace/route-match'
import { runRoutes, type LocalApp, type TraceRequest } from '../trace/route-runner'
import { legoApiSeeds } from '../trace/seeds/lego-api-seeds'
import { serviceMap } from '../trace/service-map'
import { readTraceFiles, traceFile } from '../trace/trace-files'
import { traceViews, type TraceLabel, type TraceView } from '../trace/trace-view'
import { renderTracePage } from '../trace/trace-page'
import { renderWaterfall } from '../trace/waterfall'
import { UsageError } from './usage-error'

/** The xray-scaffold package's own folder (the generated lego-api and its schema). */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The app `trace` runs: the lego-api, as generated here, with its tables and seeds. */
const LEGO_API: LocalApp = {
  manifest: legoApi,
  dir: path.join(PACKAGE_ROOT, 'generated/lego-api'),
  schemaFile: path.join(PACKAGE_ROOT, 'test/fixtures/lego-api/schema.sql'),
  seeds: legoApiSeeds,
}

interface TraceOptions {
  readonly all?: boolean
  readonly from?: string[]
  readonly user?: string
  readonly body?: string
  readonly html?: string
  readonly json?: string
  readonly filter?: string
}

/**
 * `xray-scaffold trace`: runs a route (or every route) locally and shows its trace as a
 * waterfall and a service map, or shows documents captured elsewhere (`--from`).
 */
export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description(
      "run a request through the app's function locally (or read exported traces) and show its trace: a waterfall in the terminal, the service map in --html",
    )
    .argument('[service]', 'service id from the manifest (moc-instructions, gallery, …)')
    .argument(
      '[request]',
      'the route, "<METHOD> <path>": a template ("GET /api/mocs/{id}", seeded) or a concrete path',
    )
    .option('--all', 'run every route of every service once')
    .option(
      '--from <files...>',
      'show documents captured elsewhere: aws xray batch-get-traces output, segment documents, or trace --json output',
    )
    .option('--user <id>', 'the Cognito sub claim the request carries (default user-1)')
    .option('--body <file>', 'a JSON file sent as the request body instead of the seeded one')
    .option(
      '--filter <expression>',
      'with --all or --from: keep traces matching an X-Ray filter expression (annotation.userId = "u1", service("Redis"), responsetime > 0.1, fault, error; AND / OR)',
    )
    .option('--html <file>', 'write a self-contained page with the waterfall and the service map')
    .option('--json <file>', 'write the trace documents (readable again with --from)')
    .addHelpText(
      'after',
      '\nExamples:\n  xray-scaffold trace moc-instructions "GET /api/mocs/{id}" --html trace.html\n  xray-scaffold trace --all --filter \'service("Redis") AND responsetime > 0.05\'\n  aws xray batch-get-traces --trace-ids 1-… > traces.json && xray-scaffold trace --from traces.json --html trace.html',
    )
    .action(
      async (service: string | undefined, request: string | undefined, options: TraceOptions) => {
        process.exitCode = await trace(service, request, options)
      },
    )
}

async function trace(
  service: string | undefined,
  request: string | undefined,
  options: TraceOptions,
): Promise<number> {
  const modes = [service !== undefined, options.all === true, options.from !== undefined]
  if (modes.filter(Boolean).length !== 1) {
    throw new UsageError(
      'trace needs one of: <service> "<METHOD> <path>", --all, or --from <file…>',
    )
  }
  if (service !== undefined && request === undefined) {
    throw new UsageError(
      `trace ${service} needs the route too, for example: trace ${service} "GET /api/…"`,
    )
  }
  if (service === undefined && (options.user !== undefined || options.body !== undefined)) {
    throw new UsageError('--user and --body go with one route: trace <service> "<METHOD> <path>"')
  }
  if (options.filter !== undefined && service !== undefined) {
    throw new UsageError('--filter goes with --all or --from')
  }
  let filter: TraceFilter | undefined
  try {
    filter = options.filter === undefined ? undefined : compileFilter(options.filter)
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new UsageError(error.message)
    throw error
  }

  let traces: TraceView[]
  let title: string
  if (options.from) {
    const { documents, labels } = await readTraceFiles(options.from)
    traces = traceViews(documents, labels)
    title = options.from.map((f) => path.basename(f)).join(', ')
  } else {
    const requests = await traceRequests(service, request, options)
    const backends = localBackends(process.env)
    const traced = await runRoutes(LEGO_API, requests, backends)
    const labels = new Map<string, TraceLabel>(
      traced.map((t) => [
        t.traceId,
        { label: `${t.service} ${t.method} ${t.route}`, status: t.status },
      ]),
    )
    traces = traceViews(
      traced.flatMap((t) => t.documents),
      labels,
    )
    const missing = traced.filter((t) => t.documents.length === 0)
    if (missing.length > 0) {
      const which = missing.map((t) => `${t.service} ${t.method} ${t.route}`).join(', ')
      process.stderr.write(
        `trace: no trace documents arrived for ${which}; the function did not send to the collector (is the runtime generated with tracing? run npx xray-scaffold gen)\n`,
      )
      return 1
    }
    title = options.all
      ? `${legoApi.name}: every route`
      : `${service} ${requests[0]!.target.route.method} ${requests[0]!.target.route.path}`
  }

  const total = traces.length
  if (filter) traces = traces.filter(filter)
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR
  const out: string[] = []
  for (const view of traces) {
    if (view.status !== undefined) out.push(`${view.label ?? ''} → HTTP ${view.status}`.trim())
    out.push(...renderWaterfall(view, { color }), '')
  }
  const map = serviceMap(traces)
  if (traces.length > 1) {
    out.push('service map:')
    for (const edge of map.edges) out.push(`  ${edge.from} → ${edge.to} (${edge.count})`)
    out.push('')
  }
  if (filter) out.push(`trace: ${traces.length} of ${total} traces match ${options.filter}`)
  if (options.json) {
    await writeFileAtomic(options.json, `${JSON.stringify(traceFile(traces), null, 2)}\n`)
    out.push(`trace: wrote ${options.json}`)
  }
  if (options.html) {
    await writeFileAtomic(options.html, await renderTracePage(title, traces, map))
    out.push(`trace: wrote ${options.html}`)
  }
  process.stdout.write(`${out.join('\n')}\n`)
  return 0
}

async function traceRequests(
  service: string | undefined,
  request: string | undefined,
  options: TraceOptions,
): Promise<TraceRequest[]> {
  if (service === undefined) {
    return legoApi.services.flatMap((s) =>
      s.routes.map((r) => ({ target: resolveRoute(legoApi, s.id, `${r.method} ${r.path}`) })),
    )
  }
  let target
  try {
    target = resolveRoute(legoApi, service, request!)
  } catch (error) {
    if (error instanceof RouteNotFoundError) throw new UsageError(error.message)
    throw error
  }
  return [
    { target, userId: options.user, body: options.body ? await readBody(options.body) : undefined },
  ]
}

async function readBody(file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new Error(
      `--body ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
    )
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new Error(`--body ${file}: is not JSON; give a file holding the request body as JSON`)
  }
}
