import { randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollector, subsegmentTree, type Collector } from '../../src/trace/collector'
import { validateDocument } from '../../src/trace/segment-rules'
import { restEvent } from './lambda'
import {
  bundleService,
  LambdaProcessError,
  startLambda,
  type FunctionBundle,
  type LambdaProcess,
} from './lambda-process'
import { queryDatabase, resetDatabase, TEST_DATABASE } from './postgres'

/*
 * What is tested is what is deployed: a generated function bundled with the stack's bundling
 * definition, loaded by Node 24 (the nodejs24.x runtime) in a process of its own with Lambda's
 * environment, against the real Postgres and Redis.
 */

const SERVICES = ['moc-instructions', 'gallery', 'wishlist', 'profile']

describe('bundles of the generated functions', () => {
  const bundles = new Map<string, FunctionBundle>()
  beforeAll(async () => {
    for (const service of SERVICES) bundles.set(service, await bundleService(service))
  })

  it.each(SERVICES)('%s carries the AsyncLocalStorage context and no cls-hooked', (service) => {
    const inputs = Object.keys(bundles.get(service)!.metafile.inputs)
    expect(inputs).toContain('generated/lego-api/src/lib/tracing/context.ts')
    expect(
      inputs.filter((input) => /cls-hooked|async-hook-jl|emitter-listener/.test(input)),
    ).toEqual([])
  })
})

describe('the wishlist function on Node 24', () => {
  let collector: Collector
  let lambda: LambdaProcess
  const userId = `user-${randomUUID()}`

  beforeAll(async () => {
    await resetDatabase()
    collector = await startCollector()
    lambda = await startLambda({
      service: 'wishlist',
      env: {
        AWS_LAMBDA_FUNCTION_NAME: 'lego-api-wishlist',
        AWS_XRAY_DAEMON_ADDRESS: collector.address,
        POSTGRES_HOST: TEST_DATABASE.host,
        POSTGRES_PORT: String(TEST_DATABASE.port),
        POSTGRES_DB: TEST_DATABASE.database,
        POSTGRES_USER: TEST_DATABASE.user,
        POSTGRES_PASSWORD: TEST_DATABASE.password,
        REDIS_URL: 'redis://127.0.0.1:6379',
      },
    })
  })
  afterAll(async () => {
    await lambda?.close()
    await collector?.close()
  })

  it('runs on the nodejs24.x runtime Node', () => {
    expect(lambda.nodeVersion).toMatch(/^v24\./)
  })

  it('adds an item and sends its trace: handler, business and dependency subsegments', async () => {
    const { result, traceId, logs } = await lambda.invoke<{ statusCode: number; body: string }>(
      restEvent({
        method: 'POST',
        resource: '/api/wishlist',
        body: { setNumber: '10497-1', name: 'Galaxy Explorer' },
        userId,
      }),
    )
    expect(result.statusCode).toBe(201)
    expect(logs.filter((line) => line.includes('"level":"ERROR"'))).toEqual([])
    const { rows } = await queryDatabase('SELECT name FROM wishlist_items WHERE user_id = $1', [
      userId,
    ])
    expect(rows).toEqual([{ name: 'Galaxy Explorer' }])

    const docs = await collector.waitFor((d) =>
      d.some((doc) => doc.trace_id === traceId && doc.name === '## lego-api-wishlist'),
    )
    const own = (await collector.waitForQuiet(50)).filter((doc) => doc.trace_id === traceId)
    for (const doc of own) expect(validateDocument(doc)).toEqual([])
    const [handler, ...others] = subsegmentTree(docs, traceId)
    expect(others).toEqual([])
    expect(handler.name).toBe('## lego-api-wishlist')
    expect(handler.entity.annotations).toMatchObject({
      Service: 'wishlist',
      ColdStart: true,
      method: 'POST',
      route: '/api/wishlist',
      userId,
    })
    const shape = handler.children.map((child) => [
      child.name,
      child.children.map((dependency) => [dependency.name, dependency.entity.namespace]),
    ])
    expect(shape).toEqual([
      ['Database Query - INSERT wishlist_items', [['test@127.0.0.1', 'remote']]],
      ['Redis - Delete Cache', [['Redis', 'remote']]],
    ])
  })

  it('sends nothing for an unsampled invocation, and ColdStart is false from the second', async () => {
    collector.clear()
    const unsampled = await lambda.invoke<{ statusCode: number }>(
      restEvent({ method: 'GET', resource: '/api/wishlist', userId }),
      { sampled: false },
    )
    expect(unsampled.result.statusCode).toBe(200)
    const sampled = await lambda.invoke<{ statusCode: number }>(
      restEvent({ method: 'GET', resource: '/api/wishlist', userId }),
    )
    const docs = await collector.waitFor((d) =>
      d.some((doc) => doc.trace_id === sampled.traceId && doc.name === '## lego-api-wishlist'),
    )
    expect(docs.filter((doc) => doc.trace_id === unsampled.traceId)).toEqual([])
    const handler = docs.find((doc) => doc.name === '## lego-api-wishlist')
    expect(handler?.annotations?.ColdStart).toBe(false)
  })
})

describe('a Lambda process that fails', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lambda-failures-'))
  })

  async function module(name: string, source: string): Promise<string> {
    const file = path.join(dir, `${name}.mjs`)
    await writeFile(file, source)
    return file
  }

  it('reports a module that throws while loading, with its error and output', async () => {
    const bundle = await module('bad-init', "console.log('starting')\nthrow new Error('no config')")
    const error = await startLambda({ bundle }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LambdaProcessError)
    expect(String(error)).toMatch(/Loading .*bad-init.mjs failed: Error: no config/)
    expect((error as LambdaProcessError).logs).toEqual(['starting'])
  })

  it('rejects an invocation whose handler throws, with its output, and keeps serving', async () => {
    const bundle = await module(
      'throws',
      "export const handler = async (event) => { console.error('about to fail'); if (event.fail) throw new TypeError('bad input'); return 'ok' }",
    )
    const lambda = await startLambda({ bundle })
    try {
      const error = await lambda.invoke({ fail: true }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LambdaProcessError)
      expect(String(error)).toMatch(/TypeError: bad input/)
      expect((error as LambdaProcessError).logs).toEqual(['about to fail'])
      expect((await lambda.invoke({ fail: false })).result).toBe('ok')
    } finally {
      await lambda.close()
    }
  })

  it('reports a crash of the process with its stderr', async () => {
    const bundle = await module(
      'crashes',
      "export const handler = async () => { process.stderr.write('fatal: out of cheese\\n'); process.exit(3) }",
    )
    const lambda = await startLambda({ bundle })
    const error = await lambda.invoke({}).catch((e: unknown) => e)
    expect(String(error)).toMatch(/exited \(code 3\)[\s\S]*fatal: out of cheese/)
    await expect(lambda.invoke({})).rejects.toThrow(/exited/)
  })

  it('stops an invocation that outlives its timeout and says so', async () => {
    const bundle = await module('hangs', 'export const handler = () => new Promise(() => {})')
    const lambda = await startLambda({ bundle, invokeTimeoutMs: 300 })
    await expect(lambda.invoke({})).rejects.toThrow(/timed out after 300 ms/)
    await lambda.close()
  })
})

describe('the heap of a Lambda process', () => {
  it('reports the bytes an invocation allocates, and a young collection between invocations', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lambda-heap-'))
    const bundle = path.join(dir, 'allocates.mjs')
    // Keeps what it allocates until the next invocation: 1 000 arrays of 1 000 numbers (8 MB).
    await writeFile(
      bundle,
      'let kept\nexport const handler = async () => { kept = Array.from({ length: 1000 }, () => new Array(1000).fill(1.5)); return kept.length }',
    )
    const lambda = await startLambda({
      bundle,
      nodeArgs: ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64'],
    })
    try {
      // A first invocation compiles the handler and the runner's invocation path: warm them first.
      await lambda.invoke({})
      const before = await lambda.heapState()
      await lambda.invoke({})
      const after = await lambda.heapState()
      expect(after.collections).toBe(before.collections)
      expect(after.usedBytes - before.usedBytes).toBeGreaterThan(8_000_000)
      expect(after.usedBytes - before.usedBytes).toBeLessThan(9_000_000)
      expect(await lambda.collectGarbage({ young: true })).toBe(true)
      const collected = await lambda.heapState()
      expect(collected.collections).toBe(after.collections + 1)
    } finally {
      await lambda.close()
    }
  })
})
