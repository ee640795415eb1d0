import knexFactory, { type Knex } from 'knex'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exceptionsOf, startCaptureHarness, type CaptureHarness } from './harness'

let harness: CaptureHarness
let captureKnex: typeof import('../../../generated/lego-api/src/lib/tracing/capture-knex').captureKnex
let db: Knex

const PASSWORD = 'knex-secret-password'

beforeAll(async () => {
  harness = await startCaptureHarness()
  ;({ captureKnex } = await import('../../../generated/lego-api/src/lib/tracing/capture-knex'))
  db = knexFactory({
    client: 'pg',
    // Trust auth ignores the password; it must still never reach a document.
    connection: {
      host: '127.0.0.1',
      port: 5432,
      database: 'test',
      user: 'postgres',
      password: PASSWORD,
    },
    pool: { min: 1, max: 1 },
  })
  // Connected before any trace: Knex's own set-up queries (server version) are not calls.
  await db.raw('select 1')
})

afterAll(async () => {
  await db?.destroy()
  await harness?.close()
})

describe('captureKnex (real knex on the pg driver, shared Postgres)', () => {
  // One test, in order: Knex's queries are untraced until the capture patches its pg driver.
  it('traces nothing before the capture, then each query as a remote database@host subsegment with the sql fields, never values or password', async () => {
    const before = await harness.traceOf(() => db.raw('select 1 as one'))
    expect(before.docs.filter((d) => d.namespace === 'remote')).toEqual([])

    expect(captureKnex(db)).toBe(db)
    const secret = 'bound-value-never-recorded'
    let rows: unknown[] = []
    const { docs, raw } = await harness.traceOf(async () => {
      rows = (await db.raw('select ?::text as v', [secret])).rows
      await db.select(db.raw('1 as n')).where(db.raw('? = ?', [424242, 424242]))
    })
    expect(rows).toEqual([{ v: secret }])
    const queries = docs.filter((d) => d.name === 'test@127.0.0.1')
    expect(queries).toHaveLength(2)
    for (const query of queries) {
      expect(query.namespace).toBe('remote')
      expect(query.sql).toEqual({
        url: 'postgresql://127.0.0.1:5432/test',
        user: 'postgres',
        database_type: 'PostgreSQL',
      })
    }
    const text = JSON.stringify(raw)
    expect(text).not.toContain(secret)
    expect(text).not.toContain('424242')
    expect(text).not.toContain(PASSWORD)
  })

  it('records a failing query as a fault with the database error', async () => {
    captureKnex(db)
    let thrown: unknown
    const { docs } = await harness.traceOf(async () => {
      await db('xray_scaffold_no_such_table')
        .select('*')
        .catch((error: unknown) => (thrown = error))
    })
    expect(String(thrown)).toContain('xray_scaffold_no_such_table')
    const query = docs.find((d) => d.name === 'test@127.0.0.1')!
    expect(query.fault).toBe(true)
    expect(exceptionsOf(query)[0]!.message).toContain('xray_scaffold_no_such_table')
  })

  it('on an unsampled trace sends nothing and the query still answers', async () => {
    captureKnex(db)
    let rows: unknown[] = []
    const { raw } = await harness.traceOf(async () => {
      rows = (await db.raw('select 7 as seven')).rows
    }, false)
    expect(rows).toEqual([{ seven: 7 }])
    expect(raw).toEqual([])
  })

  it('capturing twice (and the pg module directly) records one subsegment per query', async () => {
    const { capturePostgres } =
      await import('../../../generated/lego-api/src/lib/tracing/capture-postgres')
    capturePostgres((await import('pg')).default)
    captureKnex(captureKnex(db))
    const { docs } = await harness.traceOf(() => db.raw('select 2 as two'))
    expect(docs.filter((d) => d.name === 'test@127.0.0.1')).toHaveLength(1)
  })
})
