import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { flatten } from '../../src/trace/collector'
import { legoApi } from '../../src/manifest'
import { compileFilter } from '../../src/trace/filter-expression'
import { serviceMap } from '../../src/trace/service-map'
import { readTraceFiles } from '../../src/trace/trace-files'
import { traceViews, type TraceView } from '../../src/trace/trace-view'
import { waterfallRows, type WaterfallRow } from '../../src/trace/waterfall'
import { batchGetTraces } from './support/batch-get-traces'
import { launchChromium } from './support/chromium'
import { runTrace, type CliRun } from './support/run-trace-cli'

/*
 * `xray-scaffold trace` as a user runs it, from a scratch folder outside the repository: the
 * generated functions bundled and invoked as Lambda does against the real Postgres and Redis
 * (run under flock /tmp/xray-scaffold-db.lock), the documents the real SDK sent, the terminal
 * waterfall, the service map, --from on an AWS export, filters, and the HTML page in Chromium.
 */

/**
 * The screenshot goes to .tmp/ (ignored) on every run, and to the README's docs/trace-page.png
 * when UPDATE_DOCS=1 is set, so a test run leaves the work tree clean.
 */
const SCREENSHOT = path.resolve(
  import.meta.dirname,
  process.env.UPDATE_DOCS === '1' ? '../../docs/trace-page.png' : '../../.tmp/trace-page.png',
)
const MOC_FUNCTION = 'lego-api-moc-instructions'
const POSTGRES_NODE = 'test@127.0.0.1'

let scratch: string
let moc: CliRun
let all: CliRun
let fault: CliRun
let badBody: CliRun
const file = (name: string) => path.join(scratch, name)
const views = async (...names: string[]): Promise<TraceView[]> => {
  const { documents, labels } = await readTraceFiles(names.map(file))
  return traceViews(documents, labels)
}
/** The waterfall rows a terminal run printed: the lines under its `trace 1-…` heading. */
const printedRows = (stdout: string): string[] => {
  const lines = stdout.split('\n')
  const start = lines.findIndex((l) => l.startsWith('trace 1-'))
  const end = lines.indexOf('', start)
  return lines.slice(start + 1, end)
}
/** Browser code: the number of distinct colours in a PNG (every 4th pixel), to tell a blank shot. */
const COUNT_COLOURS = `async (base64) => {
  const image = new Image()
  image.src = 'data:image/png;base64,' + base64
  await image.decode()
  const canvas = document.createElement('canvas')
  canvas.width = image.width
  canvas.height = image.height
  const context = canvas.getContext('2d')
  context.drawImage(image, 0, 0)
  const { data } = context.getImageData(0, 0, image.width, image.height)
  const seen = new Set()
  for (let i = 0; i < data.length; i += 16) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2])
  return seen.size
}`
const rowName = (line: string) => line.slice(0, line.indexOf('│')).trimEnd()

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'xray-trace-'))
  await writeFile(file('bad-body.json'), JSON.stringify({ setNumber: 'not a set' }))
  const cwd = scratch
  moc = await runTrace(
    [
      'moc-instructions',
      'GET /api/mocs/{id}',
      '--user',
      'u1',
      '--json',
      'moc.json',
      '--html',
      'moc.html',
    ],
    { cwd },
  )
  all = await runTrace(['--all', '--json', 'all.json', '--html', 'all.html'], { cwd })
  // A real fault: a corrupt cache entry makes the handler throw on JSON.parse.
  const corruptId = randomUUID()
  const redis = await createClient({ url: 'redis://127.0.0.1:6379' }).connect()
  try {
    await redis.set(`moc:${corruptId}`, 'not json', { EX: 120 })
    fault = await runTrace(
      ['moc-instructions', `GET /api/mocs/${corruptId}`, '--json', 'fault.json'],
      { cwd },
    )
  } finally {
    await redis.del(`moc:${corruptId}`)
    await redis.quit()
  }
  badBody = await runTrace(
    ['wishlist', 'POST /api/wishlist', '--body', 'bad-body.json', '--json', 'error.json'],
    { cwd },
  )
}, 240_000)
afterAll(() => rm(scratch, { recursive: true, force: true }))

describe('trace <service> "<METHOD> <path>"', () => {
  it('prints the status, then the waterfall of MOC GET /api/mocs/{id}: handler, Redis, Postgres, S3 in start order', async () => {
    expect(moc.stderr).toBe('')
    expect(moc.code).toBe(0)
    expect(moc.stdout.split('\n')[0]).toBe('moc-instructions GET /api/mocs/{id} → HTTP 200')
    const rows = printedRows(moc.stdout)
    expect(rows.map((line) => rowName(line).trim())).toEqual([
      `## ${MOC_FUNCTION}`,
      'Redis - Get Cache',
      'Redis',
      'Database Query - SELECT moc_instructions',
      POSTGRES_NODE,
      'Redis - Set Cache',
      'Redis',
      'S3 - Generate Presigned URL',
      'S3',
    ])
    // Indented by nesting, with the namespace and the annotations on the line.
    expect(rows.map((line) => rowName(line).length - rowName(line).trimStart().length)).toEqual([
      0, 2, 4, 2, 4, 2, 4, 2, 4,
    ])
    expect(rows[0]).toMatch(/userId=u1/)
    expect(rows[0]).toMatch(/mocId=[0-9a-f-]{36}/)
    expect(rows[0]).toMatch(/route=\/api\/mocs\/\{id\}/)
    expect(rows[1]).toMatch(/operation=GET/)
    expect(rows[2]).toMatch(/│\s+\d+\.\d ms remote/)
    expect(rows[3]).toMatch(/operation=SELECT table=moc_instructions/)
    expect(rows[8]).toMatch(/ms aws/)
  })

  it('keeps the documents the SDK sent (--json): every sibling starts no earlier than the one before', async () => {
    const [trace, ...others] = await views('moc.json')
    expect(others).toEqual([])
    expect(trace!.status).toBe(200)
    const rows = waterfallRows(trace!)
    expect(rows[0]!.annotations).toMatchObject({ Service: 'moc-instructions', userId: 'u1' })
    for (const row of rows) {
      const starts = row.node.children.map((c) => c.entity.start_time)
      expect(starts).toEqual([...starts].sort((a, b) => a - b))
    }
    const remote = rows.filter((r) => r.namespace === 'remote' || r.namespace === 'aws')
    expect(remote.map((r) => r.name)).toEqual(['Redis', POSTGRES_NODE, 'Redis', 'S3'])
  })

  it('records a failing request as it failed: a fault on a 5xx (a corrupt cache entry), an error on a 400', async () => {
    expect(fault.code).toBe(0)
    expect(fault.stdout.split('\n')[0]).toMatch(
      /^moc-instructions GET \/api\/mocs\/\{id\} → HTTP 5\d\d$/,
    )
    expect(printedRows(fault.stdout).some((line) => line.includes('FAULT'))).toBe(true)
    expect(badBody.stdout.split('\n')[0]).toBe('wishlist POST /api/wishlist → HTTP 400')
    expect(printedRows(badBody.stdout)[0]).toContain('ERROR')
  })
})

describe('trace --all', () => {
  it('runs every route of every service once', async () => {
    expect(all.stderr).toBe('')
    expect(all.code).toBe(0)
    const traces = await views('all.json')
    const routes = legoApi.services.flatMap((s) =>
      s.routes.map((r) => `${s.id} ${r.method} ${r.path}`),
    )
    expect(traces.map((t) => t.label)).toEqual(routes)
  })

  it('draws a service map with exactly the edges the manifest declares for each service', async () => {
    const map = serviceMap(await views('all.json'))
    const nodeName = (kind: string) =>
      kind === 'postgres' ? POSTGRES_NODE : legoApi.dependencies[kind as 'redis'].serviceMapName
    const expected = legoApi.services.flatMap((s) => [
      `Client → ${legoApi.name}-${s.id}`,
      ...s.dependencies.map((d) => `${legoApi.name}-${s.id} → ${nodeName(d)}`),
    ])
    expect(map.edges.map((e) => `${e.from} → ${e.to}`).sort()).toEqual(expected.sort())
    for (const line of expected) expect(all.stdout).toContain(`  ${line} (`)
  })
})

describe('trace --from', () => {
  it('shows an aws xray batch-get-traces export of the same documents as the same waterfall', async () => {
    const [live] = await views('moc.json')
    const exported = batchGetTraces(live!.documents, MOC_FUNCTION)
    await writeFile(file('batch-get-traces.json'), JSON.stringify(exported, null, 2))
    const shown = await runTrace(['--from', 'batch-get-traces.json'], { cwd: scratch })
    expect(shown.stderr).toBe('')
    expect(shown.code).toBe(0)

    // The Lambda function segment AWS adds is the root; below it, the live waterfall row for row.
    const [fromAws] = await views('batch-get-traces.json')
    const [segment, ...rows] = waterfallRows(fromAws!)
    expect(segment).toMatchObject({ name: MOC_FUNCTION, depth: 0 })
    const comparable = (r: WaterfallRow, shift: number) => ({
      name: r.name,
      depth: r.depth - shift,
      offsetMs: r.offsetMs,
      durationMs: r.durationMs,
      namespace: r.namespace,
      annotations: r.annotations,
    })
    expect(rows.map((r) => comparable(r, 1))).toEqual(
      waterfallRows(live!).map((r) => comparable(r, 0)),
    )
    const printed = printedRows(shown.stdout).map((l) => rowName(l).trim())
    expect(printed).toEqual([
      MOC_FUNCTION,
      ...printedRows(moc.stdout).map((l) => rowName(l).trim()),
    ])
  })

  it('says which file is malformed and what it expected, in one line, and exits 1', async () => {
    await writeFile(file('not-traces.json'), JSON.stringify({ Items: [] }))
    const notTraces = await runTrace(['--from', 'not-traces.json'], { cwd: scratch })
    expect(notTraces.code).toBe(1)
    expect(notTraces.stdout).toBe('')
    expect(notTraces.stderr).toMatch(
      /^xray-scaffold: not-traces\.json: the document has no string "id"; expected the JSON output of aws xray batch-get-traces, an array \(or lines\) of segment documents, or xray-scaffold trace --json output\n$/,
    )
    await writeFile(
      file('broken-export.json'),
      JSON.stringify({ Traces: [{ Id: 'x', Segments: [{ Id: 'y', Document: '{"id": ' }] }] }),
    )
    const broken = await runTrace(['--from', 'broken-export.json'], { cwd: scratch })
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(
      /^xray-scaffold: broken-export\.json: Traces\[0\]\.Segments\[0\]\.Document is not JSON; expected [^\n]+\n$/,
    )
  })
})

describe('--filter', () => {
  let traces: TraceView[]
  beforeAll(async () => {
    traces = await views('moc.json', 'all.json', 'fault.json', 'error.json')
  })
  const select = (expression: string) => traces.filter(compileFilter(expression)).map((t) => t.id)
  const where = (keep: (t: TraceView) => boolean) => traces.filter(keep).map((t) => t.id)
  const calls = (t: TraceView, name: string) =>
    flatten(t.documents).some((e) => e.name === name && e.entity.namespace === 'remote')

  it('annotation.userId = "u1" keeps the one request made as u1', async () => {
    const [asU1] = await views('moc.json')
    expect(select('annotation.userId = "u1"')).toEqual([asU1!.id])
    expect(select('annotation.userId != "u1"')).toHaveLength(traces.length - 1)
  })

  it('service("Redis") keeps the traces that called Redis', () => {
    const expected = where((t) => calls(t, 'Redis'))
    expect(expected.length).toBeGreaterThan(0)
    expect(expected.length).toBeLessThan(traces.length)
    expect(select('service("Redis")')).toEqual(expected)
  })

  it('responsetime > <seconds> compares the handler time', () => {
    const times = traces
      .map((t) => t.roots[0]!.entity.end_time! - t.roots[0]!.entity.start_time)
      .sort((a, b) => a - b)
    const median = times[Math.floor(times.length / 2)]!
    const expected = where(
      (t) => t.roots[0]!.entity.end_time! - t.roots[0]!.entity.start_time > median,
    )
    expect(expected.length).toBeGreaterThan(0)
    expect(select(`responsetime > ${median}`)).toEqual(expected)
  })

  it('fault keeps the 5xx, error the 4xx, and AND / OR combine them', () => {
    const faults = where((t) => (t.status ?? 0) >= 500)
    const errors = where((t) => (t.status ?? 0) >= 400 && (t.status ?? 0) < 500)
    expect(faults.length).toBeGreaterThan(0)
    expect(errors.length).toBeGreaterThan(0)
    expect(select('fault')).toEqual(faults)
    expect(select('error')).toEqual(errors)
    expect(select('fault OR error')).toEqual(where((t) => (t.status ?? 0) >= 400))
    expect(select('service("Redis") AND error')).toEqual(
      where((t) => calls(t, 'Redis') && errors.includes(t.id)),
    )
  })

  it('filters --from on the command line and says how many traces matched', async () => {
    const run = await runTrace(
      ['--from', 'all.json', 'fault.json', '--filter', 'fault', '--json', 'faults.json'],
      {
        cwd: scratch,
      },
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/trace: 1 of \d+ traces match fault/)
    const [kept, ...rest] = await views('faults.json')
    expect(rest).toEqual([])
    expect(kept!.status).toBeGreaterThanOrEqual(500)
  })

  it('rejects a filter outside the subset in one line naming what is supported, exit 2', async () => {
    const run = await runTrace(['--from', 'all.json', '--filter', 'http.status = 500'], {
      cwd: scratch,
    })
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(
      /^xray-scaffold: filter: "http\.status" is not supported in "http\.status = 500"; supported: annotation\.<key> <op> <value>, service\("<name>"\), [^\n]*\n$/,
    )
  })
})

describe('when a backend is down', () => {
  it.each([
    [
      { POSTGRES_PORT: '1' },
      /^xray-scaffold: Postgres is not reachable at 127\.0\.0\.1:1 \([^\n]*\); start it [^\n]*\n$/,
    ],
    [
      { REDIS_URL: 'redis://127.0.0.1:1' },
      /^xray-scaffold: Redis is not reachable at redis:\/\/127\.0\.0\.1:1 \([^\n]*\); start it [^\n]*\n$/,
    ],
  ])('says which (%j) and how to start it, and exits 1', async (env, message) => {
    const run = await runTrace(['wishlist', 'GET /api/wishlist'], { cwd: scratch, env })
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(message)
  })
})

describe('the HTML page (--html), in headless Chromium', () => {
  it('renders offline with no console error, one node per dependency, and a clicked row shows its details', async () => {
    const chromium = await launchChromium()
    try {
      const page = await chromium.context.newPage()
      const problems: string[] = []
      const requests: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text())
      })
      page.on('pageerror', (e) => problems.push(e.message))
      await page.route('**/*', (route) => {
        requests.push(route.request().url())
        return route.request().url().startsWith('file:') ? route.continue() : route.abort()
      })
      await page.goto(`file://${file('all.html')}`)

      // Client, one node per function, one per dependency: no duplicates.
      const nodes = await page
        .locator('#service-map .map-node')
        .evaluateAll((els) =>
          els.map((el) => `${el.getAttribute('data-kind')}:${el.getAttribute('data-name')}`),
        )
      const dependencies = [...new Set(legoApi.services.flatMap((s) => s.dependencies))]
      expect(nodes.filter((n) => n.startsWith('remote:') || n.startsWith('aws:')).sort()).toEqual(
        ['aws:S3', `remote:${POSTGRES_NODE}`, 'remote:OpenSearch', 'remote:Redis'].sort(),
      )
      expect(dependencies).toHaveLength(4)
      expect(nodes.filter((n) => n.startsWith('function:'))).toHaveLength(legoApi.services.length)
      expect(nodes.filter((n) => n.startsWith('client:'))).toEqual(['client:Client'])
      expect(await page.locator('#service-map .map-edge').count()).toBe(
        legoApi.services.reduce((n, s) => n + 1 + s.dependencies.length, 0),
      )

      // The first trace is MOC GET /api/mocs/{id}; its Postgres row shows the sql block.
      await page.locator('.wf-row', { hasText: POSTGRES_NODE }).first().click()
      const details = page.locator('#details-body')
      await expect.poll(() => details.locator('h3').textContent()).toBe(POSTGRES_NODE)
      expect(await details.locator('.section-sql').textContent()).toContain(
        'postgresql://127.0.0.1:5432/test',
      )
      await page.locator('.wf-row').first().click()
      expect(await details.locator('.section-annotations').textContent()).toContain(
        'moc-instructions',
      )

      // Another trace from the list: the wishlist failure is not in this run; pick the last route.
      await page.locator('#trace-list li').last().click()
      expect(await page.locator('#waterfall-summary').textContent()).toContain(
        'profile PUT /api/profile/avatar',
      )
      await page.locator('#trace-list li').first().click()
      await page.locator('.wf-row', { hasText: POSTGRES_NODE }).first().click()

      const png = await page.screenshot({ fullPage: true })
      const colours = await page.evaluate<number>(
        `(${COUNT_COLOURS})(${JSON.stringify(png.toString('base64'))})`,
      )
      expect(colours).toBeGreaterThan(50)
      await mkdir(path.dirname(SCREENSHOT), { recursive: true })
      await writeFile(SCREENSHOT, png)

      expect(problems).toEqual([])
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([])
    } finally {
      await chromium.close()
    }
  })
})
