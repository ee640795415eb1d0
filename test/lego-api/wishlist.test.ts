import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
import { LegoApiHarness } from './harness'

const SERVICE = 'wishlist'
const POSTGRES = 'test@127.0.0.1'
const SET_NUMBER = '8104975-93'
const NAME = 'Galaxy Explorer, never in a trace'

let api: LegoApiHarness
let itemId: string

beforeAll(async () => {
  api = await LegoApiHarness.start(SERVICE)
})
afterAll(() => api?.close())

describe('Wishlist, invoked as Lambda with a sampled trace', () => {
  it('POST /api/wishlist: insert and invalidate the cached list', async () => {
    const added = await api.call({
      method: 'POST',
      resource: '/api/wishlist',
      body: JSON.stringify({ setNumber: SET_NUMBER, name: NAME }),
    })
    expect(added.status).toBe(201)
    itemId = added.body.id
    expectRequestAnnotations(added, { service: SERVICE, method: 'POST', route: '/api/wishlist' })
    expectBusinessSubsegments(added, [
      ['Database Query - INSERT wishlist_items', POSTGRES],
      ['Redis - Delete Cache', 'Redis'],
    ])
  })

  it('GET /api/wishlist: cache miss reads Postgres and fills Redis; then a hit', async () => {
    const miss = await api.call({ method: 'GET', resource: '/api/wishlist' })
    expect(miss.status).toBe(200)
    expect(miss.body.items.map((i: { id: string }) => i.id)).toEqual([itemId])
    const [get] = expectBusinessSubsegments(miss, [
      ['Redis - Get Cache', 'Redis'],
      ['Database Query - SELECT wishlist_items', POSTGRES],
      ['Redis - Set Cache', 'Redis'],
    ])
    expect(get!.entity.metadata?.default).toMatchObject({ command: 'GET', hit: false })

    const hit = await api.call({ method: 'GET', resource: '/api/wishlist' })
    const [cached] = expectBusinessSubsegments(hit, [['Redis - Get Cache', 'Redis']])
    expect(cached!.entity.metadata?.default).toMatchObject({ hit: true })
  })

  it('DELETE /api/wishlist/{itemId}: wishlistItemId annotated', async () => {
    const removed = await api.call({
      method: 'DELETE',
      resource: '/api/wishlist/{itemId}',
      pathParameters: { itemId },
    })
    expect(removed.status).toBe(204)
    expectRequestAnnotations(removed, {
      service: SERVICE,
      method: 'DELETE',
      route: '/api/wishlist/{itemId}',
      ids: { wishlistItemId: itemId },
    })
    expectBusinessSubsegments(removed, [
      ['Database Query - DELETE wishlist_items', POSTGRES],
      ['Redis - Delete Cache', 'Redis'],
    ])
  })

  it('a request without a user is a 401 error with no dependency call', async () => {
    const anonymous = await api.call({ method: 'GET', resource: '/api/wishlist', userId: null })
    expect(anonymous.status).toBe(401)
    expect(anonymous.handler.entity.error).toBe(true)
    expect(anonymous.handler.entity.annotations).not.toHaveProperty('userId')
    expect(anonymous.handler.children).toEqual([])
  })

  it('an unsampled invocation answers the same and sends nothing', async () => {
    const unsampled = await api.callUnsampled({ method: 'GET', resource: '/api/wishlist' })
    expect(unsampled.status).toBe(200)
    expect(unsampled.body).toEqual({ items: [] })
    await expectNothingSent(api, unsampled.traceId)
  })
})

describe('Wishlist, whole run', () => {
  it('logs, documents and the service map (Postgres and Redis only)', () => {
    for (const c of api.calls) expectLogsCarryTraceId(c)
    expectValidDocuments(api)
    expectNoSecrets(api, [SET_NUMBER, NAME])
    expectServiceMap(api, [POSTGRES, 'Redis'])
  })

  it('an unreachable database yields a fault with the driver reason, never the query parameters', async () => {
    // Nothing listens on port 1: every connection is refused.
    await api.restart({ POSTGRES_PORT: '1' })
    const params = ['7777777-77', 'Parameter value in a failed query 9f2c']
    const failed = await api.call({
      method: 'POST',
      resource: '/api/wishlist',
      body: JSON.stringify({ setNumber: params[0], name: params[1] }),
    })
    expectFault(failed, /ECONNREFUSED/)
    expect(failed.handler.children[0]!.entity.fault).toBe(true)
    expectValidDocuments(api)
    expectNoSecrets(api, params)
    for (const value of params) expect(failed.logs.join('\n')).not.toContain(value)
  })
})
