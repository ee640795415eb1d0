import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Client, errors } from '@opensearch-project/opensearch'
import { startOpenSearchServer, type OpenSearchServer } from '../support/opensearch-server'

let server: OpenSearchServer
let client: Client

beforeAll(async () => {
  server = await startOpenSearchServer({ indices: ['mocs'] })
  client = new Client({ node: server.endpoint })
})
afterAll(async () => {
  await client.close()
  await server.close()
})
beforeEach(() => server.clear())

async function seed() {
  await client.index({
    index: 'mocs',
    id: 'm1',
    body: { title: 'Medieval Castle', userId: 'user-1', tags: ['castle'] },
    refresh: true,
  })
  await client.index({
    index: 'mocs',
    id: 'm2',
    body: { title: 'Space Shuttle', userId: 'user-1', tags: ['space'] },
  })
  await client.index({
    index: 'mocs',
    id: 'm3',
    body: { title: 'Castle Gate', userId: 'user-2', tags: [] },
  })
}

describe('the loopback OpenSearch server, driven by the real @opensearch-project/opensearch Client', () => {
  it('indexes with an id (created, then updated) and without one (generated id)', async () => {
    const created = await client.index({
      index: 'mocs',
      id: 'm1',
      body: { title: 'A' },
      refresh: 'wait_for',
    })
    expect(created.statusCode).toBe(201)
    expect(created.body).toMatchObject({
      _index: 'mocs',
      _id: 'm1',
      result: 'created',
      _version: 1,
    })
    const updated = await client.index({ index: 'mocs', id: 'm1', body: { title: 'B' } })
    expect(updated.body).toMatchObject({ result: 'updated', _version: 2 })
    const generated = await client.index({ index: 'gallery_images', body: { title: 'C' } })
    expect(generated.body.result).toBe('created')
    expect(server.documents('gallery_images').get(generated.body._id)).toEqual({ title: 'C' })
    expect(server.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /mocs/_doc/m1',
      'PUT /mocs/_doc/m1',
      'POST /gallery_images/_doc',
    ])
    expect(server.requests()[0].query).toEqual({ refresh: 'wait_for' })
  })

  it('gets a document, and answers a missing one with found: false (404)', async () => {
    await seed()
    const got = await client.get({ index: 'mocs', id: 'm2' })
    expect(got.body).toMatchObject({
      _index: 'mocs',
      _id: 'm2',
      found: true,
      _source: { title: 'Space Shuttle' },
    })
    const missing = await client.get({ index: 'mocs', id: 'nope' }, { ignore: [404] })
    expect(missing.statusCode).toBe(404)
    expect(missing.body).toMatchObject({ found: false })
  })

  it('deletes a document (deleted), and a missing one is a 404 not_found', async () => {
    await seed()
    const deleted = await client.delete({ index: 'mocs', id: 'm1' })
    expect(deleted.body.result).toBe('deleted')
    expect(server.documents('mocs').has('m1')).toBe(false)
    const error = await client.delete({ index: 'mocs', id: 'm1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(errors.ResponseError)
    expect((error as InstanceType<typeof errors.ResponseError>).body).toMatchObject({
      result: 'not_found',
    })
  })

  it('searches with match, multi_match and bool must/filter, in OpenSearch 2.x response shape', async () => {
    await seed()
    const match = await client.search({
      index: 'mocs',
      body: { query: { match: { title: 'castle' } } },
    })
    expect(match.body.hits.total).toEqual({ value: 2, relation: 'eq' })
    expect(match.body.hits.hits.map((h) => h._id).sort()).toEqual(['m1', 'm3'])
    expect(match.body.hits.hits[0]).toMatchObject({
      _index: 'mocs',
      _source: { title: 'Medieval Castle' },
    })

    const multi = await client.search({
      index: 'mocs',
      body: { query: { multi_match: { query: 'SPACE', fields: ['title^2', 'tags'] } } },
    })
    expect(multi.body.hits.hits.map((h) => h._id)).toEqual(['m2'])

    const bool = await client.search({
      index: 'mocs',
      body: {
        query: {
          bool: {
            must: [{ match: { title: 'castle' } }],
            filter: [{ term: { userId: 'user-2' } }],
          },
        },
        size: 5,
      },
    })
    expect(bool.body.hits.hits.map((h) => h._id)).toEqual(['m3'])

    const all = await client.search({ index: 'mocs' })
    expect(all.body.hits.total).toEqual({ value: 3, relation: 'eq' })
    expect(server.requests().slice(-1)[0]).toMatchObject({ method: 'GET', path: '/mocs/_search' })
  })

  it('answers a search on a missing index with index_not_found_exception, and an unknown query with 400', async () => {
    const missing = await client
      .search({ index: 'nope', body: { query: { match_all: {} } } })
      .catch((e: unknown) => e)
    expect((missing as InstanceType<typeof errors.ResponseError>).statusCode).toBe(404)
    expect(JSON.stringify((missing as InstanceType<typeof errors.ResponseError>).body)).toContain(
      'index_not_found_exception',
    )
    const unknown = await client
      .search({ index: 'mocs', body: { query: { fuzzy: { title: 'x' } } } })
      .catch((e: unknown) => e)
    expect((unknown as InstanceType<typeof errors.ResponseError>).statusCode).toBe(400)
  })
})
