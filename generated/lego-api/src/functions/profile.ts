import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { getUserId } from '../lib/auth'
import { redis } from '../lib/cache/redis'
import { db } from '../lib/db/client'
import { profiles, type Profile } from '../lib/db/schema'
import {
  badRequest,
  methodNotAllowed,
  notFound,
  ok,
  serverError,
  unauthorized,
} from '../lib/http/responses'
import { BUCKET, s3 } from '../lib/storage/s3'
import { withTracing, traced, captureError, logger } from '../lib/tracing'

const AVATAR_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp'])
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/
const MAX_AVATAR_BYTES = 1024 * 1024

/** A profile as cached and returned: JSON-safe, so the timestamp is an ISO string. */
type ProfileRecord = Omit<Profile, 'updatedAt'> & { updatedAt: string }

interface NewAvatar {
  contentType: string
  bytes: Buffer
}

export const handler = withTracing(
  { service: 'profile', annotations: { userId: { from: 'claim', name: 'sub' } } },
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      const userId = getUserId(event)
      if (!userId) return unauthorized()

      switch (`${event.httpMethod} ${event.resource}`) {
        case 'GET /api/profile':
          return await getProfile(userId)
        case 'PUT /api/profile/avatar':
          return await updateAvatar(event, userId)
        default:
          return methodNotAllowed()
      }
    } catch (error) {
      captureError(error)
      logger.error('profile request failed', error)
      return serverError()
    }
  },
)

async function getProfile(userId: string): Promise<APIGatewayProxyResult> {
  let profile: ProfileRecord
  const cached = await traced(
    'Redis - Get Cache',
    { annotations: { operation: 'GET' }, metadata: { key: `profile:${userId}` } },
    () => redis.get(`profile:${userId}`),
  )
  if (cached) {
    profile = JSON.parse(cached) as ProfileRecord
  } else {
    const [row] = await traced(
      'Database Query - SELECT profiles',
      { annotations: { operation: 'SELECT', table: 'profiles' } },
      () => db.select().from(profiles).where(eq(profiles.userId, userId)),
    )
    if (!row) return notFound('Profile not found')
    profile = { ...row, updatedAt: row.updatedAt.toISOString() }
    await traced(
      'Redis - Set Cache',
      { annotations: { operation: 'SET' }, metadata: { key: `profile:${userId}` } },
      () => redis.set(`profile:${userId}`, JSON.stringify(profile), { EX: 300 }),
    )
  }

  // Signed per request and never cached: a cached URL would outlive its signature.
  const avatarUrl = profile.avatarKey
    ? await traced(
        'S3 - Generate Presigned URL',
        {
          annotations: { operation: 'getSignedUrl', bucket: BUCKET },
          metadata: { key: profile.avatarKey },
        },
        () =>
          getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: profile.avatarKey! }), {
            expiresIn: 3600,
          }),
      )
    : null
  return ok({ ...profile, avatarUrl })
}

async function updateAvatar(
  event: APIGatewayProxyEvent,
  userId: string,
): Promise<APIGatewayProxyResult> {
  const input = parseNewAvatar(event.body)
  if (!input) return badRequest('Body must be JSON with an image "contentType" and base64 "data"')

  // One object per user: a new avatar overwrites the old one, so nothing is left behind.
  const avatarKey = `avatars/${userId}`
  await traced(
    'S3 - Put Object',
    { annotations: { operation: 'PutObject', bucket: BUCKET }, metadata: { key: avatarKey } },
    () =>
      s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: avatarKey,
          Body: input.bytes,
          ContentType: input.contentType,
        }),
      ),
  )
  const [updated] = await traced(
    'Database Query - UPDATE profiles',
    { annotations: { operation: 'UPDATE', table: 'profiles' } },
    () =>
      db
        .update(profiles)
        .set({ avatarKey, updatedAt: new Date() })
        .where(eq(profiles.userId, userId))
        .returning(),
  )
  if (!updated) return notFound('Profile not found')

  await traced(
    'Redis - Delete Cache',
    { annotations: { operation: 'DEL' }, metadata: { key: `profile:${userId}` } },
    () => redis.del(`profile:${userId}`),
  )
  return ok({ ...updated, updatedAt: updated.updatedAt.toISOString() })
}

function parseNewAvatar(body: string | null): NewAvatar | undefined {
  let input: unknown
  try {
    input = JSON.parse(body ?? '')
  } catch {
    return undefined
  }
  if (typeof input !== 'object' || input === null) return undefined
  const { contentType, data } = input as Record<string, unknown>
  if (typeof contentType !== 'string' || !AVATAR_TYPES.has(contentType)) return undefined
  if (typeof data !== 'string' || !BASE64.test(data)) return undefined
  const bytes = Buffer.from(data, 'base64')
  if (bytes.length === 0 || bytes.length > MAX_AVATAR_BYTES) return undefined
  return { contentType, bytes }
}
