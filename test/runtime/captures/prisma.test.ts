import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EntityDocument } from '../../../src/trace/segment-document'
import { exceptionsOf, startCaptureHarness, type CaptureHarness } from './harness'

/*
 * Prisma 7 runs without a query engine binary: its client plans queries in WebAssembly and sends
 * them through a driver adapter (@prisma/adapter-pg, over the real pg and the shared Postgres).
 * Its CLI still fetches the schema engine from binaries.prisma.sh when it starts, which this
 * machine cannot reach, though `generate` never runs it (it reads the schema in WebAssembly):
 * PRISMA_SCHEMA_ENGINE_BINARY pointing at any existing file stops the download.
 */

const ROOT = join(import.meta.dirname, '../../..')
const OUT = join(ROOT, '.tmp/prisma-captures')
const TABLE = 'xray_capture_prisma_items'
const PASSWORD = 'prisma-secret-password'
const SCHEMA = `
generator client {
  provider = "prisma-client"
  output   = "./client"
}

datasource db {
  provider = "postgresql"
}

model CaptureItem {
  id    Int    @id
  title String
  @@map("${TABLE}")
}

model MissingItem {
  id    Int    @id
  title String
  @@map("xray_capture_prisma_missing")
}
`

interface ItemDelegate {
  upsert(args: unknown): Promise<unknown>
  findMany(args?: unknown): Promise<{ id: number; title: string }[]>
}
interface Client {
  captureItem: ItemDelegate
  missingItem: ItemDelegate
  $queryRaw(strings: TemplateStringsArray, ...values: unknown[]): Promise<unknown[]>
  $disconnect(): Promise<void>
}

let harness: CaptureHarness
let capturePrisma: typeof import('../../../generated/lego-api/src/lib/tracing/capture-prisma').capturePrisma
let newClient: () => Client
const clients: Client[] = []

function client(): Client {
  const created = newClient()
  clients.push(created)
  return created
}

beforeAll(async () => {
  harness = await startCaptureHarness()
  ;({ capturePrisma } = await import('../../../generated/lego-api/src/lib/tracing/capture-prisma'))
  mkdirSync(OUT, { recursive: true })
  writeFileSync(join(OUT, 'schema.prisma'), SCHEMA)
  execFileSync(
    join(ROOT, 'node_modules/.bin/prisma'),
    ['generate', '--schema', join(OUT, 'schema.prisma')],
    {
      cwd: OUT,
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
        CHECKPOINT_DISABLE: '1',
      },
      stdio: 'pipe',
    },
  )
  const { PrismaClient } = (await import(join(OUT, 'client/client.ts'))) as {
    PrismaClient: new (options: { adapter: unknown }) => Client
  }
  const { PrismaPg } = await import('@prisma/adapter-pg')
  newClient = () =>
    new PrismaClient({
      // Trust auth ignores the password; it must still never reach a document.
      adapter: new PrismaPg({
        connectionString: `postgresql://postgres:${PASSWORD}@127.0.0.1:5432/test`,
      }),
    })
  const setup = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' })
  await setup.connect()
  await setup.query(`create table if not exists ${TABLE} (id int primary key, title text not null)`)
  await setup.end()
  // Connected before any trace: the adapter's pool opens on the first query.
  await client().$queryRaw`select 1`
})

afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()))
  const setup = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' })
  await setup.connect()
  await setup.query(`drop table if exists ${TABLE}`)
  await setup.end()
  await harness?.close()
})

/** The subsegments of Prisma operations (the pg capture's ones carry no `operation`). */
function operations(docs: EntityDocument[]): EntityDocument[] {
  return docs.filter(
    (d) => d.name === 'test@127.0.0.1' && d.metadata?.default?.operation !== undefined,
  )
}

describe('capturePrisma (real Prisma 7 client, @prisma/adapter-pg, shared Postgres)', () => {
  it('records each operation as a remote database@host subsegment with sql fields, model and operation, never values or password', async () => {
    const prisma = capturePrisma(client())
    const secret = 'value-never-recorded'
    let found: unknown
    const { docs, raw } = await harness.traceOf(async () => {
      await prisma.$queryRaw`select ${secret}::text as v`
      await prisma.captureItem.upsert({
        where: { id: 1 },
        create: { id: 1, title: secret },
        update: { title: secret },
      })
      found = await prisma.captureItem.findMany({ where: { title: secret } })
    })
    expect(found).toEqual([{ id: 1, title: secret }])
    const ops = operations(docs)
    expect(ops.map((d) => d.metadata!.default)).toEqual([
      { operation: '$queryRaw' },
      { model: 'CaptureItem', operation: 'upsert' },
      { model: 'CaptureItem', operation: 'findMany' },
    ])
    for (const op of ops) {
      expect(op.namespace).toBe('remote')
      expect(op.sql).toEqual({
        url: 'postgresql://127.0.0.1:5432/test',
        user: 'postgres',
        database_type: 'PostgreSQL',
      })
      expect(op.end_time).toBeGreaterThanOrEqual(op.start_time)
    }
    const text = JSON.stringify(raw)
    expect(text).not.toContain(secret)
    expect(text).not.toContain(PASSWORD)
  })

  it('records a failing operation as a fault whose exception keeps the reason and code, not the arguments', async () => {
    const prisma = capturePrisma(client(), 'Orders DB')
    let thrown: unknown
    const { docs, raw } = await harness.traceOf(async () => {
      await prisma.missingItem
        .findMany({ where: { title: 'argument-never-recorded' } })
        .catch((error: unknown) => (thrown = error))
    })
    expect((thrown as { code?: string }).code).toBe('P2021')
    const op = docs.find((d) => d.name === 'Orders DB')!
    expect(op.fault).toBe(true)
    const [exception] = exceptionsOf(op)
    expect(exception!.message).toMatch(/^P2021: .*xray_capture_prisma_missing.* does not exist/)
    expect(JSON.stringify(raw)).not.toContain('argument-never-recorded')
  })

  it('on an unsampled trace sends nothing and the operation still answers', async () => {
    const prisma = capturePrisma(client())
    let rows: unknown[] = []
    const { raw } = await harness.traceOf(async () => {
      rows = await prisma.$queryRaw`select 7 as seven`
    }, false)
    expect(rows).toEqual([{ seven: 7 }])
    expect(raw).toEqual([])
  })

  it('capturing twice records one subsegment per operation', async () => {
    const prisma = capturePrisma(capturePrisma(client()))
    const { docs } = await harness.traceOf(() => prisma.captureItem.findMany())
    expect(operations(docs)).toHaveLength(1)
  })

  it("with capturePostgres on the adapter's pg, the SQL statements are children of their operation", async () => {
    const { capturePostgres } =
      await import('../../../generated/lego-api/src/lib/tracing/capture-postgres')
    capturePostgres(pg)
    const prisma = capturePrisma(client())
    const { entities } = await harness.traceOf(() => prisma.captureItem.findMany())
    const [op] = entities.filter((e) => e.entity.metadata?.default?.operation === 'findMany')
    const statements = entities.filter(
      (e) => e.name === 'test@127.0.0.1' && e.entity.metadata?.default?.operation === undefined,
    )
    expect(statements.length).toBeGreaterThan(0)
    for (const statement of statements) expect(statement.parentId).toBe(op!.id)
  })
})
