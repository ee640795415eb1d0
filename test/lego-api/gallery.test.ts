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
import { BUCKET, LegoApiHarness } from './harness'

const SERVICE = 'gallery'
const POSTGRES = 'test@127.0.0.1'
const TITLE = 'Modular Bookshop, night shot 4b7e'
const IMAGE = Buffer.from('RIFF....WEBPVP8 not-really-an-image').toString('base64')

let api: LegoApiHarness
let imageId: string

beforeAll(async () => {
  api = await LegoApiHarness.start(SERVICE)
})
afterAll(() => api?.close())

const upload = () =>
  api.call({
    method: 'POST',
    resource: '/api/images',
    body: JSON.stringify({ title: TITLE, contentType: 'image/webp', data: IMAGE }),
  })

describe('Gallery, invoked as Lambda with a sampled trace', () => {
  it('POST /api/images: S3 put, insert, index', async () => {
    const uploaded = await upload()
    expect(uploaded.status).toBe(201)
    imageId = uploaded.body.id
    expectRequestAnnotations(uploaded, { service: SERVICE, method: 'POST', route: '/api/images' })
    const [put] = expectBusinessSubsegments(uploaded, [
      ['S3 - Put Object', 'S3'],
      ['Database Query - INSERT gallery_images', POSTGRES],
      ['OpenSearch - Index gallery_images', 'OpenSearch'],
    ])
    expect(uploaded.handler.children[0]!.entity.annotations).toEqual({
      operation: 'PutObject',
      bucket: BUCKET,
    })
    expect(put!.entity.namespace).toBe('aws')
    expect(put!.entity.aws).toMatchObject({ operation: 'PutObject', bucket_name: BUCKET })
    expect(api.s3.objects().size).toBe(1)
  })

  it('GET /api/images/{imageId}: select and presigned URL, imageId annotated', async () => {
    const got = await api.call({
      method: 'GET',
      resource: '/api/images/{imageId}',
      pathParameters: { imageId },
    })
    expect(got.status).toBe(200)
    expectRequestAnnotations(got, {
      service: SERVICE,
      method: 'GET',
      route: '/api/images/{imageId}',
      ids: { imageId },
    })
    expectBusinessSubsegments(got, [
      ['Database Query - SELECT gallery_images', POSTGRES],
      ['S3 - Generate Presigned URL', 'S3'],
    ])
  })

  it('GET /api/images?q= searches the gallery index', async () => {
    const found = await api.call({
      method: 'GET',
      resource: '/api/images',
      query: { q: 'bookshop' },
    })
    expect(found.status).toBe(200)
    const [search] = expectBusinessSubsegments(found, [
      ['OpenSearch - Search gallery_images', 'OpenSearch'],
    ])
    expect(search!.entity.annotations).toMatchObject({
      index: 'gallery_images',
      operation: 'search',
    })
    expect(search!.entity.metadata?.default).toMatchObject({ hits: 1 })
  })

  it('GET of an unknown image is a 404 error', async () => {
    const missing = await api.call({
      method: 'GET',
      resource: '/api/images/{imageId}',
      pathParameters: { imageId: '00000000-0000-4000-8000-000000000000' },
    })
    expect(missing.status).toBe(404)
    expect(missing.handler.entity.error).toBe(true)
  })

  it('an unsampled invocation answers the same and sends nothing', async () => {
    const input = { method: 'GET' as const, resource: '/api/images', query: { q: 'bookshop' } }
    const unsampled = await api.callUnsampled(input)
    expect(unsampled.status).toBe(200)
    expect(unsampled.body.items.map((i: { id: string }) => i.id)).toEqual([imageId])
    await expectNothingSent(api, unsampled.traceId)
  })
})

describe('Gallery, whole run', () => {
  it('logs, documents and the service map (Postgres, S3, OpenSearch; no Redis)', () => {
    for (const c of api.calls) expectLogsCarryTraceId(c)
    expectValidDocuments(api)
    expectNoSecrets(api, [TITLE, IMAGE])
    expectServiceMap(api, [POSTGRES, 'S3', 'OpenSearch'])
  })

  it('an S3 outage yields a fault with the exception', async () => {
    await api.s3.close()
    const failed = await upload()
    expectFault(failed, /ECONNREFUSED|connect/i)
    expect(failed.handler.children[0]!.entity.fault).toBe(true)
    expectValidDocuments(api)
  })
})
