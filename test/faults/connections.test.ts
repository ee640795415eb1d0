import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryDatabase } from '../support/postgres'
import { FaultHarness, TEST_TIMEOUT_MS } from './fault-harness'
import { exceptionOf, expectFaulted, expectNormal, NODE } from './fault-matrix'

/*
 * Faults that the matrix does not reach: an idle Postgres connection killed by the server, a
 * Redis that accepts connections and never answers at cold start, and where the stacks of a
 * fault point (the TypeScript sources, through the bundle's source map).
 */

let api: FaultHarness
beforeAll(async () => {
  api = await FaultHarness.start('wishlist')
})
afterAll(() => api?.close())

const list = { method: 'GET' as const, resource: '/api/wishlist' }
const add = {
  method: 'POST' as const,
  resource: '/api/wishlist',
  body: { setNumber: '10497', name: 'Galaxy Explorer' },
}

describe('wishlist, connections that die or hang outside a request', () => {
  it('an idle Postgres connection ended by the server (pg_terminate_backend) does not kill the process; the next request reconnects', async () => {
    await api.heal()
    expectNormal(await api.call(add), 201, api)
    const { rows } = await queryDatabase<{ ended: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1',
      [api.applicationName],
    )
    expect(rows.map((row) => row.ended)).toEqual([true])
    // The pool's idle connection reports the error while no request runs.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const next = await api.call(add)
    expectNormal(next, 201, api)
    expect(api.process.nodeVersion).toMatch(/^v24\./)
  })

  it('a Redis that accepts and never answers at cold start costs init the connect timeout, and only that', async () => {
    await api.heal()
    await api.proxies.redis.setMode('stall')
    const environment = await api.coldStart()
    // Init went on past the stalled handshake: the proof is that it finished and logged why.
    const warning = environment.initLogs
      .map((line) => JSON.parse(line))
      .find((e) => e.level === 'WARN' && /Redis unavailable at init/.test(e.message))
    expect(warning?.error?.message).toBe(`Redis connection not ready within ${TEST_TIMEOUT_MS} ms`)
    expect(environment.initMs).toBeGreaterThanOrEqual(TEST_TIMEOUT_MS)
    expectNormal(await api.call({ ...add, body: '{}' }), 400, api)
    const failed = await api.call(list)
    expectFaulted(failed, 'redis', /Redis connection not ready within 400 ms/, api)
    await api.heal()
    expectNormal(await api.call(list), 200, api)
    if (process.env.FAULT_REPORT) {
      const { appendFileSync } = await import('node:fs')
      appendFileSync(
        process.env.FAULT_REPORT,
        `${JSON.stringify({ service: 'wishlist', dependency: 'redis', fault: 'stalled at cold start', initMs: Math.round(environment.initMs), ms: Math.round(failed.durationMs) })}\n`,
      )
    }
  })
})

describe('stacks of a fault name the TypeScript sources', () => {
  it('in the document (frames with a .ts path and an integer line) and in the log line', async () => {
    await api.heal()
    expectNormal(await api.call(list), 200, api)
    await api.proxies.redis.setMode('stall')
    const failed = await api.call(list)
    await api.heal()
    const remote = failed.handler.children[0]!.children.find((node) => node.name === NODE.redis)!
    const frames = exceptionOf(failed, remote).stack as { path: string; line: number }[]
    expect(frames.length).toBeGreaterThan(0)
    for (const frame of frames) {
      expect(frame.path).toBeTypeOf('string')
      expect(Number.isInteger(frame.line)).toBe(true)
      expect(frame.path).not.toMatch(/^file:|index\.mjs$/)
    }
    expect(frames[0]!.path).toMatch(/generated\/lego-api\/src\/lib\/cache\/redis\.ts$/)
    const errorLine = failed.logs.map((line) => JSON.parse(line)).find((e) => e.level === 'ERROR')
    expect(errorLine.error.stack).toMatch(/\/src\/lib\/cache\/redis\.ts:\d+:\d+\)/)
    expect(errorLine.error.stack).not.toMatch(/index\.mjs/)
  })

  it('a Drizzle failure is traced through the handler source file', async () => {
    await api.heal()
    await api.proxies.postgres.setMode('refuse')
    const failed = await api.call(add)
    await api.heal()
    const frames = exceptionOf(failed, failed.handler).stack as { path: string; line: number }[]
    expect(
      frames.some((frame) =>
        /generated\/lego-api\/src\/lib\/tracing\/traced\.ts$/.test(frame.path),
      ),
    ).toBe(true)
    expect(frames.length).toBeLessThanOrEqual(15)
  })
})
