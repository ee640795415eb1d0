import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryDatabase } from '../support/postgres'
import { TEST_USER_ID } from '../support/lambda'
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

const SERVICE = 'profile'
const POSTGRES = 'test@127.0.0.1'
const AVATAR = Buffer.from('avatar-bytes-never-in-a-trace').toString('base64')

let api: LegoApiHarness

beforeAll(async () => {
  api = await LegoApiHarness.start(SERVICE)
  await queryDatabase('INSERT INTO profiles (user_id, display_name) VALUES ($1, $2)', [
    TEST_USER_ID,
    'Brick Builder',
  ])
})
afterAll(() => api?.close())

describe('Profile, invoked as Lambda with a sampled trace', () => {
  it('GET /api/profile: cache miss reads Postgres and fills Redis', async () => {
    const got = await api.call({ method: 'GET', resource: '/api/profile' })
    expect(got.status).toBe(200)
    expectRequestAnnotations(got, { service: SERVICE, method: 'GET', route: '/api/profile' })
    expectBusinessSubsegments(got, [
      ['Redis - Get Cache', 'Redis'],
      ['Database Query - SELECT profiles', POSTGRES],
      ['Redis - Set Cache', 'Redis'],
    ])
  })

  it('PUT /api/profile/avatar: S3 put, update the row, invalidate the cache', async () => {
    const updated = await api.call({
      method: 'PUT',
      resource: '/api/profile/avatar',
      body: JSON.stringify({ contentType: 'image/png', data: AVATAR }),
    })
    expect(updated.status).toBe(200)
    const [put] = expectBusinessSubsegments(updated, [
      ['S3 - Put Object', 'S3'],
      ['Database Query - UPDATE profiles', POSTGRES],
      ['Redis - Delete Cache', 'Redis'],
    ])
    expect(put!.entity.aws).toMatchObject({ operation: 'PutObject', bucket_name: BUCKET })
  })

  it('GET /api/profile after the update presigns the avatar URL', async () => {
    const got = await api.call({ method: 'GET', resource: '/api/profile' })
    expect(got.status).toBe(200)
    expect(JSON.stringify(got.body)).toMatch(/X-Amz-Signature=/)
    expectBusinessSubsegments(got, [
      ['Redis - Get Cache', 'Redis'],
      ['Database Query - SELECT profiles', POSTGRES],
      ['Redis - Set Cache', 'Redis'],
      ['S3 - Generate Presigned URL', 'S3'],
    ])
  })

  it('a user without a profile gets a 404 error', async () => {
    const missing = await api.call({
      method: 'GET',
      resource: '/api/profile',
      userId: 'user-without-profile',
    })
    expect(missing.status).toBe(404)
    expect(missing.handler.entity.error).toBe(true)
    expect(missing.handler.entity.annotations?.userId).toBe('user-without-profile')
  })

  it('an unsampled invocation answers the same and sends nothing', async () => {
    const unsampled = await api.callUnsampled({ method: 'GET', resource: '/api/profile' })
    expect(unsampled.status).toBe(200)
    expect(unsampled.body.displayName).toBe('Brick Builder')
    await expectNothingSent(api, unsampled.traceId)
  })
})

describe('Profile, whole run', () => {
  it('logs, documents and the service map (Postgres, Redis, S3)', () => {
    for (const c of api.calls) expectLogsCarryTraceId(c)
    expectValidDocuments(api)
    expectNoSecrets(api, [AVATAR])
    expectServiceMap(api, [POSTGRES, 'Redis', 'S3'])
  })

  it('an S3 outage on upload yields a fault with the exception', async () => {
    await api.s3.close()
    const failed = await api.call({
      method: 'PUT',
      resource: '/api/profile/avatar',
      body: JSON.stringify({ contentType: 'image/png', data: AVATAR }),
    })
    expectFault(failed, /ECONNREFUSED|connect/i)
    expectValidDocuments(api)
  })
})
