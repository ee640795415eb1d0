import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryDatabase } from '../support/postgres'
import {
  expectBusinessSubsegments,
  expectFault,
  expectLogsCarryTraceId,
  expectNothingSent,
  expectNoSecrets,
  expectRequestAnnotations,
  expectServiceMap,
  expectValidDocuments,
} from './expectations'
import { BUCKET, LegoApiHarness, remoteOf } from './harness'

const SERVICE = 'moc-instructions'
const POSTGRES = 'test@127.0.0.1'
const TITLE = 'Millennium Falcon UCS 75192'
const DESCRIPTION = 'param-value-never-in-a-trace-31d9'

let api: LegoApiHarness
let mocId: string

beforeAll(async () => {
  api = await LegoApiHarness.start(SERVICE)
})
afterAll(() => api?.close())

describe('MOC instructions, invoked as Lambda with a sampled trace', () => {
  it('runs the function bundled as deployed, on Node 24 like the nodejs24.x runtime', () => {
    expect(api.process.nodeVersion).toMatch(/^v24\./)
    expect(api.process.bundle).toMatch(/index\.mjs$/)
  })

  it('POST /api/mocs: insert, index, invalidate the cache', async () => {
    const created = await api.call({
      method: 'POST',
      resource: '/api/mocs',
      body: JSON.stringify({ title: TITLE, description: DESCRIPTION }),
    })
    expect(created.status).toBe(201)
    mocId = created.body.id
    expectRequestAnnotations(created, { service: SERVICE, method: 'POST', route: '/api/mocs' })
    expect(created.handler.entity.annotations).not.toHaveProperty('mocId')
    const [db, search, cache] = expectBusinessSubsegments(created, [
      ['Database Query - INSERT moc_instructions', POSTGRES],
      ['OpenSearch - Index mocs', 'OpenSearch'],
      ['Redis - Delete Cache', 'Redis'],
    ])
    expect(created.handler.children[0]!.entity.annotations).toEqual({
      operation: 'INSERT',
      table: 'moc_instructions',
    })
    expect(db!.entity.namespace).toBe('remote')
    expect(db!.entity.sql).toMatchObject({
      url: 'postgresql://127.0.0.1:5432/test',
      user: 'postgres',
      database_type: 'PostgreSQL',
    })
    expect(search!.entity.http?.request).toMatchObject({ method: 'PUT' })
    expect(search!.entity.annotations).toMatchObject({ index: 'mocs', operation: 'index' })
    expect(cache!.entity.metadata?.default).toMatchObject({ command: 'DEL', key: `moc:${mocId}` })
  })

  it('GET /api/mocs/{id} on a cache miss: Redis, Postgres, Redis set, presigned URL', async () => {
    const key = `mocs/user-1/${mocId}/instructions.pdf`
    await queryDatabase('UPDATE moc_instructions SET instructions_key = $1 WHERE id = $2', [
      key,
      mocId,
    ])
    const got = await api.call({
      method: 'GET',
      resource: '/api/mocs/{id}',
      pathParameters: { id: mocId },
    })
    expect(got.status).toBe(200)
    expect(got.body.instructionsUrl).toMatch(/X-Amz-Signature=/)
    expectRequestAnnotations(got, {
      service: SERVICE,
      method: 'GET',
      route: '/api/mocs/{id}',
      ids: { mocId },
    })
    const [cacheGet, , , presign] = expectBusinessSubsegments(got, [
      ['Redis - Get Cache', 'Redis'],
      ['Database Query - SELECT moc_instructions', POSTGRES],
      ['Redis - Set Cache', 'Redis'],
      ['S3 - Generate Presigned URL', 'S3'],
    ])
    expect(cacheGet!.entity.metadata?.default).toMatchObject({ command: 'GET', hit: false })
    expect(got.handler.children[1]!.entity.metadata?.default).toMatchObject({ rowCount: 1 })
    expect(got.handler.children[3]!.entity.annotations).toEqual({
      operation: 'getSignedUrl',
      bucket: BUCKET,
    })
    expect(got.handler.children[3]!.entity.metadata?.default).toMatchObject({ key })
    expect(presign!.entity.namespace).toBe('aws')
    expect(presign!.entity.aws).toMatchObject({ operation: 'GetObject', bucket_name: BUCKET, key })
  })

  it('GET /api/mocs/{id} on a cache hit skips Postgres', async () => {
    const got = await api.call({
      method: 'GET',
      resource: '/api/mocs/{id}',
      pathParameters: { id: mocId },
    })
    expect(got.status).toBe(200)
    const [cacheGet] = expectBusinessSubsegments(got, [
      ['Redis - Get Cache', 'Redis'],
      ['S3 - Generate Presigned URL', 'S3'],
    ])
    expect(cacheGet!.entity.metadata?.default).toMatchObject({ hit: true })
  })

  it('GET /api/mocs?q= searches OpenSearch, with http fields and the hit count', async () => {
    const found = await api.call({ method: 'GET', resource: '/api/mocs', query: { q: 'falcon' } })
    expect(found.status).toBe(200)
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([mocId])
    const [search] = expectBusinessSubsegments(found, [['OpenSearch - Search mocs', 'OpenSearch']])
    expect(found.handler.children[0]!.entity.annotations).toEqual({
      operation: 'search',
      index: 'mocs',
    })
    expect(search!.entity.http).toMatchObject({
      request: { method: 'POST', url: `${api.openSearch.endpoint}/mocs/_search` },
      response: { status: 200 },
    })
    expect(search!.entity.metadata?.default).toMatchObject({ hits: 1 })
  })

  it('DELETE /api/mocs/{id}: row, S3 object, index entry and cache key', async () => {
    const deleted = await api.call({
      method: 'DELETE',
      resource: '/api/mocs/{id}',
      pathParameters: { id: mocId },
    })
    expect(deleted.status).toBe(204)
    expectRequestAnnotations(deleted, {
      service: SERVICE,
      method: 'DELETE',
      route: '/api/mocs/{id}',
      ids: { mocId },
    })
    const remotes = expectBusinessSubsegments(deleted, [
      ['Database Query - SELECT moc_instructions', POSTGRES],
      ['Database Query - DELETE moc_instructions', POSTGRES],
      ['S3 - Delete Object', 'S3'],
      ['OpenSearch - Delete mocs', 'OpenSearch'],
      ['Redis - Delete Cache', 'Redis'],
    ])
    expect(remotes[2]!.entity.aws).toMatchObject({ operation: 'DeleteObject', bucket_name: BUCKET })
    expect(
      api.s3.requests().some((r) => r.method === 'DELETE' && r.key?.endsWith('instructions.pdf')),
    ).toBe(true)
  })

  it('a 404 marks the handler subsegment as an error, not a fault', async () => {
    const missing = await api.call({
      method: 'GET',
      resource: '/api/mocs/{id}',
      pathParameters: { id: '00000000-0000-4000-8000-000000000000' },
    })
    expect(missing.status).toBe(404)
    expect(missing.handler.entity.error).toBe(true)
    expect(missing.handler.entity.fault).toBeFalsy()
  })

  it('a 400 for a bad body is an error with no dependency call', async () => {
    const bad = await api.call({ method: 'POST', resource: '/api/mocs', body: '{not json' })
    expect(bad.status).toBe(400)
    expect(bad.handler.entity.error).toBe(true)
    expect(bad.handler.children).toEqual([])
  })
})

describe('MOC instructions, unsampled', () => {
  it('answers the same and sends no document', async () => {
    const input = { method: 'GET' as const, resource: '/api/mocs', query: { q: 'nothing-matches' } }
    const sampled = await api.call(input)
    const unsampled = await api.callUnsampled(input)
    expect(unsampled.status).toBe(sampled.status)
    expect(unsampled.body).toEqual(sampled.body)
    await expectNothingSent(api, unsampled.traceId)
  })
})

describe('MOC instructions, whole run', () => {
  it('every log line is JSON with its invocation trace id', () => {
    expect(api.calls.length).toBeGreaterThan(5)
    for (const c of api.calls) expectLogsCarryTraceId(c)
  })

  it('documents obey the segment-document rules and hold no secret or SQL parameter value', () => {
    expectValidDocuments(api)
    expectNoSecrets(api, [TITLE, DESCRIPTION])
  })

  it('the service map has edges to exactly Postgres, Redis, S3 and OpenSearch', () => {
    expectServiceMap(api, [POSTGRES, 'Redis', 'S3', 'OpenSearch'])
  })

  it('a failing dependency yields a fault with the exception, and an ERROR log with its stack', async () => {
    await api.openSearch.close()
    const failed = await api.call({ method: 'GET', resource: '/api/mocs', query: { q: 'falcon' } })
    expectFault(failed, /ECONNREFUSED|connect|Connection/i)
    const business = failed.handler.children[0]!
    expect(business.entity.fault).toBe(true)
    expect(remoteOf(business).entity.fault).toBe(true)
    expectLogsCarryTraceId(failed)
    expectValidDocuments(api)
  })
})
