import { randomUUID } from 'node:crypto'
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { getUserId } from '../lib/auth'
import { db } from '../lib/db/client'
import { galleryImages } from '../lib/db/schema'
import {
  badRequest,
  created,
  methodNotAllowed,
  notFound,
  ok,
  serverError,
  unauthorized,
} from '../lib/http/responses'
import { search } from '../lib/search/opensearch'
import { BUCKET, s3 } from '../lib/storage/s3'
import { withTracing, traced, captureError, logger } from '../lib/tracing'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/
/** API Gateway caps a request at 10 MB; base64 inflates by a third, so images stay under 6 MB. */
const MAX_IMAGE_BYTES = 6 * 1024 * 1024

interface NewImage {
  title: string
  contentType: string
  bytes: Buffer
}

export const handler = withTracing(
  {
    service: 'gallery',
    annotations: {
      userId: { from: 'claim', name: 'sub' },
      imageId: { from: 'pathParameter', name: 'imageId' },
    },
  },
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      const userId = getUserId(event)
      if (!userId) return unauthorized()

      switch (`${event.httpMethod} ${event.resource}`) {
        case 'GET /api/images/{imageId}':
          return await getImage(event)
        case 'POST /api/images':
          return await uploadImage(event, userId)
        case 'GET /api/images':
          return await searchImages(event)
        default:
          return methodNotAllowed()
      }
    } catch (error) {
      captureError(error)
      logger.error('gallery request failed', error)
      return serverError()
    }
  },
)

async function getImage(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const imageId = event.pathParameters?.imageId
  if (!imageId || !UUID.test(imageId)) return badRequest('imageId must be a UUID')

  const [image] = await traced(
    'Database Query - SELECT gallery_images',
    { annotations: { operation: 'SELECT', table: 'gallery_images' } },
    () => db.select().from(galleryImages).where(eq(galleryImages.id, imageId)),
  )
  if (!image) return notFound('Image not found')

  const url = await traced(
    'S3 - Generate Presigned URL',
    {
      annotations: { operation: 'getSignedUrl', bucket: BUCKET },
      metadata: { key: image.imageKey },
    },
    () =>
      getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: image.imageKey }), {
        expiresIn: 3600,
      }),
  )
  return ok({ ...image, url })
}

async function uploadImage(
  event: APIGatewayProxyEvent,
  userId: string,
): Promise<APIGatewayProxyResult> {
  const input = parseNewImage(event.body)
  if (!input) {
    return badRequest('Body must be JSON with "title", an image "contentType" and base64 "data"')
  }

  const imageId = randomUUID()
  const imageKey = `images/${userId}/${imageId}`
  await traced(
    'S3 - Put Object',
    { annotations: { operation: 'PutObject', bucket: BUCKET }, metadata: { key: imageKey } },
    () =>
      s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: imageKey,
          Body: input.bytes,
          ContentType: input.contentType,
        }),
      ),
  )
  const [image] = await traced(
    'Database Query - INSERT gallery_images',
    { annotations: { operation: 'INSERT', table: 'gallery_images' } },
    () =>
      db
        .insert(galleryImages)
        .values({
          id: imageId,
          userId,
          title: input.title,
          imageKey,
          contentType: input.contentType,
        })
        .returning(),
  )
  await traced(
    'OpenSearch - Index gallery_images',
    { annotations: { operation: 'index', index: 'gallery_images' } },
    () =>
      search.index({
        index: 'gallery_images',
        id: imageId,
        body: { userId, title: image.title, createdAt: image.createdAt.toISOString() },
        refresh: true,
      }),
  )
  return created(image)
}

async function searchImages(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const q = event.queryStringParameters?.q?.trim()
  if (!q) return badRequest('Query parameter q is required')

  const { body } = await traced(
    'OpenSearch - Search gallery_images',
    { annotations: { operation: 'search', index: 'gallery_images' } },
    () =>
      search.search({
        index: 'gallery_images',
        body: { query: { match: { title: q } }, size: 20 },
      }),
  )
  return ok({ items: body.hits.hits.map((hit) => ({ id: hit._id, ...hit._source })) })
}

function parseNewImage(body: string | null): NewImage | undefined {
  let input: unknown
  try {
    input = JSON.parse(body ?? '')
  } catch {
    return undefined
  }
  if (typeof input !== 'object' || input === null) return undefined
  const { title, contentType, data } = input as Record<string, unknown>
  if (typeof title !== 'string' || title.trim() === '' || title.length > 200) return undefined
  if (typeof contentType !== 'string' || !IMAGE_TYPES.has(contentType)) return undefined
  if (typeof data !== 'string' || !BASE64.test(data)) return undefined
  const bytes = Buffer.from(data, 'base64')
  if (bytes.length === 0 || bytes.length > MAX_IMAGE_BYTES) return undefined
  return { title: title.trim(), contentType, bytes }
}
