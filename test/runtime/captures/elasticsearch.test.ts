import { Client } from '@elastic/elasticsearch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startElasticsearchServer,
  type ElasticsearchServer,
} from '../../support/elasticsearch-server'
import { exceptionsOf, startCaptureHarness, type CaptureHarness } from './harness'

let harness: CaptureHarness
let server: ElasticsearchServer
let captureElasticsearch: typeof import('../../../generated/lego-api/src/lib/tracing/capture-elasticsearch').captureElasticsearch
const clients: Client[] = []

function client(node = server.endpoint): Client {
  const created = new Client({ node })
  clients.push(created)
  return created
}

beforeAll(async () => {
  harness = await startCaptureHarness()
  server = await startElasticsearchServer({ failingIndices: ['broken'] })
  ;({ captureElasticsearch } =
    await import('../../../generated/lego-api/src/lib/tracing/capture-elasticsearch'))
})

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()))
  await server?.close()
  await harness?.close()
})

describe('captureElasticsearch (real @elastic/elasticsearch 8, loopback server)', () => {
  it('records index, search and a missing get as remote subsegments with http, index, operation and hits; callers get what they asked for', async () => {
    const search = captureElasticsearch(
      client(server.endpoint.replace('http://', 'http://elastic:es-secret@')),
    )
    let total: unknown
    let withMeta: { statusCode?: number | null; body?: unknown } = {}
    let missing: unknown
    const { docs, raw } = await harness.traceOf(async () => {
      await search.index({ index: 'mocs', id: 'moc-1', document: { title: 'Castle secret-title' } })
      const answer = await search.search({ index: 'mocs', query: { match: { title: 'castle' } } })
      total = answer.hits.total
      withMeta = await search.search({ index: 'mocs' }, { meta: true })
      await search
        .get({ index: 'mocs', id: 'moc-2' })
        .catch((error: { meta: { statusCode: number } }) => {
          missing = error.meta.statusCode
        })
    })
    expect(total).toEqual({ value: 1, relation: 'eq' })
    expect(withMeta.statusCode).toBe(200)
    expect(withMeta.body).toMatchObject({ hits: { total: { value: 1 } } })
    expect(missing).toBe(404)
    const calls = docs.filter((d) => d.name === 'Elasticsearch')
    expect(calls.map((c) => c.annotations)).toEqual([
      { index: 'mocs', operation: 'index' },
      { index: 'mocs', operation: 'search' },
      { index: 'mocs', operation: 'search' },
      { index: 'mocs', operation: 'get' },
    ])
    const [indexCall, searchCall, , getCall] = calls
    for (const call of calls) expect(call.namespace).toBe('remote')
    expect(indexCall!.http).toEqual({
      request: { method: 'PUT', url: `${server.endpoint}/mocs/_doc/moc-1` },
      response: { status: 201 },
    })
    expect(searchCall!.http!.request).toEqual({
      method: 'POST',
      url: `${server.endpoint}/mocs/_search`,
    })
    expect(searchCall!.metadata!.default.hits).toBe(1)
    expect(getCall!.http!.response!.status).toBe(404)
    expect(getCall!.error).toBe(true)
    expect(getCall!.fault ?? false).toBe(false)
    const text = JSON.stringify(raw)
    expect(text).not.toContain('es-secret')
    expect(text).not.toContain('secret-title')
  })

  it('records a 500 answer as a fault with the client error', async () => {
    const search = captureElasticsearch(client(), 'Catalog search')
    let thrown: unknown
    const { docs } = await harness.traceOf(async () => {
      await search.search({ index: 'broken' }).catch((error: unknown) => (thrown = error))
    })
    expect((thrown as Error).name).toBe('ResponseError')
    const call = docs.find((d) => d.name === 'Catalog search')!
    expect(call.http!.response!.status).toBe(500)
    expect(call.fault).toBe(true)
    expect(exceptionsOf(call)[0]!.message).toContain('search_phase_execution_exception')
  })

  it('on an unsampled trace sends nothing and the call still answers', async () => {
    const search = captureElasticsearch(client())
    let found: unknown
    const { raw } = await harness.traceOf(async () => {
      found = (await search.get({ index: 'mocs', id: 'moc-1' }))._source
    }, false)
    expect(found).toEqual({ title: 'Castle secret-title' })
    expect(raw).toEqual([])
  })

  it('capturing twice records one subsegment per call', async () => {
    const search = captureElasticsearch(captureElasticsearch(client()))
    const { docs } = await harness.traceOf(() => search.search({ index: 'mocs' }))
    expect(docs.filter((d) => d.name === 'Elasticsearch')).toHaveLength(1)
  })
})
