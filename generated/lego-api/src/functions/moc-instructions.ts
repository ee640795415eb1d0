import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { and, eq } from 'drizzle-orm'
import { getUserId } from '../lib/auth'
import { redis } from '../lib/cache/redis'
import { db } from '../lib/db/client'
import { mocInstructions, type MocInstruction } from '../lib/db/schema'
import {
  badRequest,
  created,
  methodNotAllowed,
  noContent,
  notFound,
  ok,
  serverError,
  unauthorized,
} from '../lib/http/responses'
import { search } from '../lib/search/opensearch'
import { BUCKET, s3 } from '../lib/storage/s3'
import { withTracing, traced, captureError, logger } from '../lib/tracing'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A MOC as cached and returned: JSON-safe, so the timestamp is an ISO string. */
type MocRecord = Omit<MocInstruction, 'createdAt'> & { createdAt: string }

interface NewMoc {
  title: string
  description?: string
}

export const handler = withTracing(
  {
    service: 'moc-instructions',
    annotations: {
      userId: { from: 'claim', name: 'sub' },
      mocId: { from: 'pathParameter', name: 'id' },
    },
  },
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      const userId = getUserId(event)
      if (!userId) return unauthorized()

      switch (`${event.httpMethod} ${event.resource}`) {
        case 'GET /api/mocs/{id}':
          return await getMoc(event)
        case 'GET /api/mocs':
          return await searchMocs(event)
        case 'POST /api/mocs':
          return await createMoc(event, userId)
        case 'DELETE /api/mocs/{id}':
          return await deleteMoc(event, userId)
        default:
          return methodNotAllowed()
      }
    } catch (error) {
      captureError(error)
      logger.error('moc-instructions request failed', error)
      return serverError()
    }
  },
)

async function getMoc(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const id = event.pathParameters?.id
  if (!id || !UUID.test(id)) return badRequest('id must be a UUID')

  let moc: MocRecord
  const cached = await traced(
    'Redis - Get Cache',
    { annotations: { operation: 'GET' }, metadata: { key: `moc:${id}` } },
    () => redis.get(`moc:${id}`),
  )
  if (cached) {
    moc = JSON.parse(cached) as MocRecord
  } else {
    const [row] = await traced(
      'Database Query - SELECT moc_instructions',
      { annotations: { operation: 'SELECT', table: 'moc_instructions' } },
      () => db.select().from(mocInstructions).where(eq(mocInstructions.id, id)),
    )
    if (!row) return notFound('MOC not found')
    moc = { ...row, createdAt: row.createdAt.toISOString() }
    await traced(
      'Redis - Set Cache',
      { annotations: { operation: 'SET' }, metadata: { key: `moc:${id}` } },
      () => redis.set(`moc:${id}`, JSON.stringify(moc), { EX: 300 }),
    )
  }

  // The URL is signed per request and never cached: it would outlive its signature.
  const instructionsUrl = moc.instructionsKey
    ? await traced(
        'S3 - Generate Presigned URL',
        {
          annotations: { operation: 'getSignedUrl', bucket: BUCKET },
          metadata: { key: moc.instructionsKey },
        },
        () =>
          getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: moc.instructionsKey! }), {
            expiresIn: 3600,
          }),
      )
    : null
  return ok({ ...moc, instructionsUrl })
}

async function searchMocs(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const q = event.queryStringParameters?.q?.trim()
  if (!q) return badRequest('Query parameter q is required')

  const { body } = await traced(
    'OpenSearch - Search mocs',
    { annotations: { operation: 'search', index: 'mocs' } },
    () =>
      search.search({
        index: 'mocs',
        body: {
          query: { multi_match: { query: q, fields: ['title^2', 'description'] } },
          size: 20,
        },
      }),
  )
  return ok({ items: body.hits.hits.map((hit) => ({ id: hit._id, ...hit._source })) })
}

async function createMoc(
  event: APIGatewayProxyEvent,
  userId: string,
): Promise<APIGatewayProxyResult> {
  const input = parseNewMoc(event.body)
  if (!input) return badRequest('Body must be JSON with a non-empty "title"')

  const [row] = await traced(
    'Database Query - INSERT moc_instructions',
    { annotations: { operation: 'INSERT', table: 'moc_instructions' } },
    () =>
      db
        .insert(mocInstructions)
        .values({ userId, title: input.title, description: input.description ?? null })
        .returning(),
  )
  const moc: MocRecord = { ...row, createdAt: row.createdAt.toISOString() }

  // refresh so the new MOC is searchable as soon as the client gets its 201.
  await traced(
    'OpenSearch - Index mocs',
    { annotations: { operation: 'index', index: 'mocs' } },
    () =>
      search.index({
        index: 'mocs',
        id: moc.id,
        body: { userId, title: moc.title, description: moc.description, createdAt: moc.createdAt },
        refresh: true,
      }),
  )
  await traced(
    'Redis - Delete Cache',
    { annotations: { operation: 'DEL' }, metadata: { key: `moc:${moc.id}` } },
    () => redis.del(`moc:${moc.id}`),
  )
  return created(moc)
}

async function deleteMoc(
  event: APIGatewayProxyEvent,
  userId: string,
): Promise<APIGatewayProxyResult> {
  const id = event.pathParameters?.id
  if (!id || !UUID.test(id)) return badRequest('id must be a UUID')

  // Only the owner may delete; someone else's MOC is reported as missing, not as forbidden.
  const [moc] = await traced(
    'Database Query - SELECT moc_instructions',
    { annotations: { operation: 'SELECT', table: 'moc_instructions' } },
    () =>
      db
        .select()
        .from(mocInstructions)
        .where(and(eq(mocInstructions.id, id), eq(mocInstructions.userId, userId))),
  )
  if (!moc) return notFound('MOC not found')

  await traced(
    'Database Query - DELETE moc_instructions',
    { annotations: { operation: 'DELETE', table: 'moc_instructions' } },
    () => db.delete(mocInstructions).where(eq(mocInstructions.id, id)),
  )
  if (moc.instructionsKey) {
    await traced(
      'S3 - Delete Object',
      {
        annotations: { operation: 'DeleteObject', bucket: BUCKET },
        metadata: { key: moc.instructionsKey },
      },
      () => s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: moc.instructionsKey! })),
    )
  }
  // A MOC that never made it into the index is still deleted.
  await traced(
    'OpenSearch - Delete mocs',
    { annotations: { operation: 'delete', index: 'mocs' } },
    () => search.delete({ index: 'mocs', id, refresh: true }, { ignore: [404] }),
  )
  await traced(
    'Redis - Delete Cache',
    { annotations: { operation: 'DEL' }, metadata: { key: `moc:${id}` } },
    () => redis.del(`moc:${id}`),
  )
  return noContent()
}

function parseNewMoc(body: string | null): NewMoc | undefined {
  let input: unknown
  try {
    input = JSON.parse(body ?? '')
  } catch {
    return undefined
  }
  if (typeof input !== 'object' || input === null) return undefined
  const { title, description } = input as Record<string, unknown>
  if (typeof title !== 'string' || title.trim() === '' || title.length > 200) return undefined
  if (description !== undefined && typeof description !== 'string') return undefined
  return { title: title.trim(), description }
}
