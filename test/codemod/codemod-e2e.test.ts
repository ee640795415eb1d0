import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startCollector,
  subsegmentTree,
  type Collector,
  type TraceNode,
} from '../../src/trace/collector'
import { restEvent } from '../support/lambda'
import {
  bundleFunction,
  removeBundle,
  startLambda,
  type FunctionBundle,
} from '../support/lambda-process'
import { TEST_DATABASE } from '../support/postgres'
import { startS3Server, type S3Server } from '../support/s3-server'

/*
 * The codemod on a repository laid out as a user's: its own package.json, a TypeScript handler
 * (pg + S3) and a CommonJS JavaScript one (node-redis), no tracing runtime yet, under git. The
 * rewritten handlers are bundled and run as Lambda runs them, against the real Postgres and Redis
 * and the loopback S3, with the real aws-xray-sdk-core sending to the loopback collector.
 * Uses the shared Postgres and Redis: run under `flock /tmp/xray-scaffold-db.lock`.
 */
const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin', 'xray-scaffold.mjs')
const TABLE = 'codemod_e2e_orders'
const KEY_PREFIX = 'codemod-e2e:'

const ORDERS_TS = `import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { Pool } from 'pg'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'

// One pool per execution environment.
const pool = new Pool({
  host: process.env.PGHOST,
  database: process.env.PGDATABASE,
  user: process.env.PGUSER,
  max: 1,
})
const s3 = new S3Client({ forcePathStyle: true })

async function loadOrder(id: string) {
  const { rows } = await pool.query('SELECT id, total FROM ${TABLE} WHERE id = $1', [id])
  return rows[0]
}

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  const order = await loadOrder(id)
  if (!order) return { statusCode: 404, body: JSON.stringify({ id }) }
  await s3.send(new PutObjectCommand({ Bucket: 'receipts', Key: \`orders/\${id}.json\`, Body: JSON.stringify(order) }))
  return { statusCode: 200, body: JSON.stringify(order) }
}
`

const CART_JS = `'use strict'
const { createClient } = require('redis')

const redis = createClient({ url: process.env.REDIS_URL })

/** The cart of a user, from Redis. */
exports.handler = async (event) => {
  if (!redis.isOpen) await redis.connect()
  const cart = await redis.get(\`${KEY_PREFIX}\${event.pathParameters.userId}\`)
  return { statusCode: 200, body: cart ?? '[]' }
}
`

const run = promisify(execFile)

/** The package's bin, run from `cwd` as a user's shell would. */
async function xrayScaffold(cwd: string, ...args: string[]) {
  return run(process.execPath, [bin, 'codemod', ...args], { cwd }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  )
}

const git = (cwd: string, ...args: string[]) =>
  run('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=dev', ...args], { cwd })

async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.parentPath.includes('.git')) continue
    const file = path.join(entry.parentPath, entry.name)
    files.set(path.relative(dir, file), await readFile(file, 'utf8'))
  }
  return files
}

/** The aliases of the shared bundling definition, pointed at the runtime in the user's repository. */
function runtimeAliases(runtimeDir: string): Record<string, string> {
  const sdk = path.dirname(createRequire(import.meta.url).resolve('aws-xray-sdk-core/package.json'))
  return {
    'cls-hooked/context': path.join(runtimeDir, 'context.ts'),
    'aws-xray-sdk-core': path.join(runtimeDir, 'slim-sdk.ts'),
    'aws-xray-sdk-core/dist': path.join(sdk, 'dist'),
  }
}

const names = (nodes: readonly TraceNode[]) => nodes.map((node) => node.name)

describe('xray-scaffold codemod on a user repository', () => {
  let repo: string
  let collector: Collector
  let s3: S3Server
  const bundles: FunctionBundle[] = []
  const database = new pg.Client(TEST_DATABASE)

  beforeAll(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'codemod-user-repo-'))
    await mkdir(path.join(repo, 'src'))
    await writeFile(
      path.join(repo, 'package.json'),
      JSON.stringify({ name: 'shop', private: true, dependencies: { pg: '^8', redis: '^5' } }),
    )
    await writeFile(path.join(repo, 'src', 'orders.ts'), ORDERS_TS)
    await writeFile(path.join(repo, 'src', 'cart.js'), CART_JS)
    // The user's installed packages (pg, redis, the AWS SDK, aws-xray-sdk-core).
    await symlink(path.join(root, 'node_modules'), path.join(repo, 'node_modules'), 'dir')
    await writeFile(path.join(repo, '.gitignore'), 'node_modules\n')
    await git(repo, 'init', '-q')
    await git(repo, 'add', '-A')
    await git(repo, 'commit', '-qm', 'shop')

    collector = await startCollector()
    s3 = await startS3Server()
    await database.connect()
    await database.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id text PRIMARY KEY, total int)`)
    await database.query(`DELETE FROM ${TABLE}`)
    await database.query(`INSERT INTO ${TABLE} VALUES ('o-1', 42)`)
  })

  afterAll(async () => {
    await database.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => undefined)
    await database.end()
    await Promise.allSettled([collector.close(), s3.close(), ...bundles.map(removeBundle)])
    await rm(repo, { recursive: true, force: true })
  })

  it('--dry-run prints the diffs and writes nothing', async () => {
    const before = await snapshot(repo)
    const { code, stdout } = await xrayScaffold(repo, '--dry-run', 'src')
    expect(code).toBe(0)
    expect(stdout).toContain('+++ b/src/orders.ts')
    expect(stdout).toContain('+++ b/src/cart.js')
    expect(stdout).toContain(
      "+exports.handler = withTracing({ service: 'cart' }, async (event) => {",
    )
    expect(stdout).toContain('would generate the tracing runtime in src/lib/tracing/')
    expect(stdout).toMatch(/^Results: 2 changed, 0 unchanged, 0 skipped, 0 failed \(\d+\.\d s\)$/m)
    expect(await snapshot(repo)).toEqual(before)
  })

  it('refuses to write over uncommitted changes, and writes nothing', async () => {
    const orders = path.join(repo, 'src', 'orders.ts')
    await writeFile(orders, `${ORDERS_TS}// work in progress\n`)
    const before = await snapshot(repo)
    const { code, stderr } = await xrayScaffold(repo, 'src')
    expect(code).toBe(1)
    expect(stderr).toContain(
      'codemod: src/orders.ts has uncommitted changes: commit or stash them first (or rerun with --force)',
    )
    expect(stderr).toContain('codemod: nothing written')
    expect(await snapshot(repo)).toEqual(before)
    await git(repo, 'checkout', '--', 'src/orders.ts')
  })

  it('generates the runtime and rewrites both handlers', async () => {
    const { code, stdout } = await xrayScaffold(repo, 'src', '--report', 'tracing-report.md')
    expect(code, stdout).toBe(0)
    expect(stdout).toContain('generated the tracing runtime in src/lib/tracing/')
    expect(stdout).toContain('  changed  src/orders.ts')
    expect(stdout).toContain('  changed  src/cart.js')
    expect(stdout).toMatch(/^Results: 2 changed, 0 unchanged, 0 skipped, 0 failed/m)
    const runtime = await readFile(path.join(repo, 'src/lib/tracing/index.ts'), 'utf8')
    expect(runtime).toMatch(
      /^\/\/ @generated by xray-scaffold from templates\/src\/lib\/tracing\/index.ts/,
    )
    const orders = await readFile(path.join(repo, 'src/orders.ts'), 'utf8')
    expect(orders).toContain("import { traced, withTracing } from './lib/tracing'")
    expect(orders).toContain(
      'const s3 = captureAWSv3Client(new S3Client({ forcePathStyle: true }))',
    )
    expect(orders).toContain('// One pool per execution environment.')
    const cart = await readFile(path.join(repo, 'src/cart.js'), 'utf8')
    expect(cart).toContain("const { traced, withTracing } = require('./lib/tracing')")
    expect(cart).toContain(
      'const redis = captureRedis(createClient({ url: process.env.REDIS_URL }))',
    )
    const report = await readFile(path.join(repo, 'tracing-report.md'), 'utf8')
    expect(report).toContain('## `src/orders.ts`')
    expect(report).toContain(`| Database Query - SELECT ${TABLE} | SELECT | \`table '${TABLE}'\` |`)
    expect(report).toContain("| S3 - Put Object | PutObject | `bucket 'receipts'` |")
  })

  it('--check is clean afterwards: both files are reported as traced already', async () => {
    const check = await xrayScaffold(repo, '--check', 'src/orders.ts', 'src/cart.js')
    expect(check.code, check.stdout).toBe(0)
    expect(check.stdout).toMatch(/^Results: 0 changed, 0 unchanged, 2 skipped, 0 failed/m)
    expect(check.stdout).toContain('skipped  src/orders.ts: already traced by this runtime')
  })

  it('--check fails on a copy with one untraced call, naming it by file:line', async () => {
    const copy = await mkdtemp(path.join(tmpdir(), 'codemod-check-'))
    try {
      await cp(path.join(repo, 'src'), path.join(copy, 'src'), { recursive: true })
      await writeFile(path.join(copy, 'package.json'), '{"name":"copy"}')
      const cart = path.join(copy, 'src', 'cart.js')
      const text = await readFile(cart, 'utf8')
      await writeFile(
        cart,
        text.replace(
          "  return { statusCode: 200, body: cart ?? '[]' }",
          "  await redis.expire('codemod-e2e:seen', 60)\n  return { statusCode: 200, body: cart ?? '[]' }",
        ),
      )
      const line =
        (await readFile(cart, 'utf8')).split('\n').findIndex((l) => l.includes('expire')) + 1
      const { code, stdout } = await xrayScaffold(copy, '--check', 'src/orders.ts', 'src/cart.js')
      expect(code).toBe(1)
      expect(stdout).toContain(
        `src/cart.js:${line}: dependency call outside a subsegment (Redis - Expire Cache)`,
      )
    } finally {
      await rm(copy, { recursive: true, force: true })
    }
  })

  it('the rewritten TypeScript handler sends its subsegment and a remote one per call', async () => {
    const bundle = await bundleFunction(path.join(repo, 'src/orders.ts'), {
      name: 'shop-orders',
      alias: runtimeAliases(path.join(repo, 'src/lib/tracing')),
    })
    bundles.push(bundle)
    const lambda = await startLambda({
      bundle: bundle.file,
      env: {
        AWS_XRAY_DAEMON_ADDRESS: collector.address,
        AWS_LAMBDA_FUNCTION_NAME: 'shop-orders',
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        PGHOST: TEST_DATABASE.host,
        PGDATABASE: TEST_DATABASE.database,
        PGUSER: TEST_DATABASE.user,
      },
    })
    try {
      const { result, traceId } = await lambda.invoke<{ statusCode: number; body: string }>(
        restEvent({ method: 'GET', resource: '/orders/{id}', pathParameters: { id: 'o-1' } }),
      )
      expect(result.statusCode).toBe(200)
      expect(JSON.parse(result.body)).toEqual({ id: 'o-1', total: 42 })
      expect(s3.object('receipts', 'orders/o-1.json')).toBeDefined()
      await collector.waitFor((docs) =>
        docs.some((d) => d.trace_id === traceId && d.name === '## shop-orders' && !d.in_progress),
      )
      const documents = (await collector.waitForQuiet(30)).filter((d) => d.trace_id === traceId)
      const [handler, ...others] = subsegmentTree(documents, traceId)
      expect(others).toEqual([])
      expect(handler!.name).toBe('## shop-orders')
      expect(handler!.entity.annotations).toMatchObject({ Service: 'orders' })
      expect(names(handler!.children)).toEqual([
        `Database Query - SELECT ${TABLE}`,
        'S3 - Put Object',
      ])
      const [query, put] = handler!.children
      expect(query!.entity.annotations).toMatchObject({ operation: 'SELECT', table: TABLE })
      expect(query!.children.map((c) => [c.name, c.entity.namespace])).toEqual([
        ['test@127.0.0.1', 'remote'],
      ])
      expect(put!.entity.annotations).toMatchObject({ operation: 'PutObject', bucket: 'receipts' })
      expect(put!.children.map((c) => [c.name, c.entity.namespace])).toEqual([['S3', 'aws']])
    } finally {
      await lambda.close()
    }
  })

  it('the rewritten CommonJS handler sends its subsegment and a remote Redis one', async () => {
    const redis = await createClient({ url: 'redis://127.0.0.1:6379' }).connect()
    await redis.set(`${KEY_PREFIX}u-1`, '["brick"]')
    await redis.quit()
    // Lambda loads the CommonJS file itself; the test runner imports ESM, so a one-line entry re-exports it.
    const entry = path.join(repo, 'cart-entry.mjs')
    await writeFile(entry, "export { handler } from './src/cart.js'\n")
    const bundle = await bundleFunction(entry, {
      name: 'shop-cart',
      alias: runtimeAliases(path.join(repo, 'src/lib/tracing')),
    })
    bundles.push(bundle)
    const lambda = await startLambda({
      bundle: bundle.file,
      env: {
        AWS_XRAY_DAEMON_ADDRESS: collector.address,
        AWS_LAMBDA_FUNCTION_NAME: 'shop-cart',
        REDIS_URL: 'redis://127.0.0.1:6379',
      },
    })
    try {
      const { result, traceId } = await lambda.invoke<{ statusCode: number; body: string }>(
        restEvent({ method: 'GET', resource: '/cart/{userId}', pathParameters: { userId: 'u-1' } }),
      )
      expect(result).toMatchObject({ statusCode: 200, body: '["brick"]' })
      await collector.waitFor((docs) =>
        docs.some((d) => d.trace_id === traceId && d.name === '## shop-cart' && !d.in_progress),
      )
      const documents = (await collector.waitForQuiet(30)).filter((d) => d.trace_id === traceId)
      const [handler] = subsegmentTree(documents, traceId)
      expect(handler!.entity.annotations).toMatchObject({ Service: 'cart' })
      expect(names(handler!.children)).toEqual(['Redis - Get Cache'])
      const [get] = handler!.children
      expect(get!.entity.annotations).toMatchObject({ operation: 'GET' })
      expect(get!.children.map((c) => [c.name, c.entity.namespace])).toEqual([['Redis', 'remote']])
    } finally {
      await lambda.close()
      const cleanup = await createClient({ url: 'redis://127.0.0.1:6379' }).connect()
      await cleanup.del(`${KEY_PREFIX}u-1`)
      await cleanup.quit()
    }
  })
})
