import { randomUUID } from 'node:crypto'
import { queryDatabase } from '../support/postgres'
import { describeFaults } from './fault-matrix'

const AVATAR = Buffer.from('fault-probe-avatar').toString('base64')

/** A user with a profile row and nothing cached: GET /api/profile reads Redis, then Postgres. */
async function freshUser(): Promise<string> {
  const userId = `fault-${randomUUID()}`
  await queryDatabase('INSERT INTO profiles (user_id, display_name) VALUES ($1, $2)', [
    userId,
    'Fault Probe',
  ])
  return userId
}

const getProfile = {
  request: async () => ({
    method: 'GET' as const,
    resource: '/api/profile',
    userId: await freshUser(),
  }),
  ok: 200,
}
/** A request the handler answers before touching any dependency. */
const invalid = {
  request: () => ({ method: 'PUT' as const, resource: '/api/profile/avatar', body: '{}' }),
  ok: 400,
}

describeFaults({
  service: 'profile',
  probes: {
    postgres: getProfile,
    redis: getProfile,
    s3: {
      request: async () => ({
        method: 'PUT',
        resource: '/api/profile/avatar',
        userId: await freshUser(),
        body: { contentType: 'image/png', data: AVATAR },
      }),
      ok: 200,
    },
  },
  without: { postgres: invalid, redis: invalid, s3: getProfile },
})
