import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { and, desc, eq } from 'drizzle-orm'
import { getUserId } from '../lib/auth'
import { redis } from '../lib/cache/redis'
import { db } from '../lib/db/client'
import { wishlistItems } from '../lib/db/schema'
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
import { withTracing, traced, captureError, logger } from '../lib/tracing'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Rebrickable-style set numbers: `10294-1`, `75192`. */
const SET_NUMBER = /^\d{3,7}(-\d{1,2})?$/

interface NewItem {
  setNumber: string
  name: string
}

export const handler = withTracing(
  {
    service: 'wishlist',
    annotations: {
      userId: { from: 'claim', name: 'sub' },
      wishlistItemId: { from: 'pathParameter', name: 'itemId' },
    },
  },
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      const userId = getUserId(event)
      if (!userId) return unauthorized()

      switch (`${event.httpMethod} ${event.resource}`) {
        case 'GET /api/wishlist':
          return await listItems(userId)
        case 'POST /api/wishlist':
          return await addItem(event, userId)
        case 'DELETE /api/wishlist/{itemId}':
          return await removeItem(event, userId)
        default:
          return methodNotAllowed()
      }
    } catch (error) {
      captureError(error)
      logger.error('wishlist request failed', error)
      return serverError()
    }
  },
)

async function listItems(userId: string): Promise<APIGatewayProxyResult> {
  const cached = await traced(
    'Redis - Get Cache',
    { annotations: { operation: 'GET' }, metadata: { key: `wishlist:${userId}` } },
    () => redis.get(`wishlist:${userId}`),
  )
  if (cached) return ok({ items: JSON.parse(cached) })

  const items = await traced(
    'Database Query - SELECT wishlist_items',
    { annotations: { operation: 'SELECT', table: 'wishlist_items' } },
    () =>
      db
        .select()
        .from(wishlistItems)
        .where(eq(wishlistItems.userId, userId))
        .orderBy(desc(wishlistItems.createdAt)),
  )
  await traced(
    'Redis - Set Cache',
    { annotations: { operation: 'SET' }, metadata: { key: `wishlist:${userId}` } },
    () => redis.set(`wishlist:${userId}`, JSON.stringify(items), { EX: 300 }),
  )
  return ok({ items })
}

async function addItem(
  event: APIGatewayProxyEvent,
  userId: string,
): Promise<APIGatewayProxyResult> {
  const input = parseNewItem(event.body)
  if (!input) return badRequest('Body must be JSON with a "setNumber" like 10294-1 and a "name"')

  const [item] = await traced(
    'Database Query - INSERT wishlist_items',
    { annotations: { operation: 'INSERT', table: 'wishlist_items' } },
    () =>
      db
        .insert(wishlistItems)
        .values({ userId, setNumber: input.setNumber, name: input.name })
        .returning(),
  )
  await traced(
    'Redis - Delete Cache',
    { annotations: { operation: 'DEL' }, metadata: { key: `wishlist:${userId}` } },
    () => redis.del(`wishlist:${userId}`),
  )
  return created(item)
}

async function removeItem(
  event: APIGatewayProxyEvent,
  userId: string,
): Promise<APIGatewayProxyResult> {
  const itemId = event.pathParameters?.itemId
  if (!itemId || !UUID.test(itemId)) return badRequest('itemId must be a UUID')

  // Scoped to the caller: another user's item is "not found", never deleted.
  const deleted = await traced(
    'Database Query - DELETE wishlist_items',
    { annotations: { operation: 'DELETE', table: 'wishlist_items' } },
    () =>
      db
        .delete(wishlistItems)
        .where(and(eq(wishlistItems.id, itemId), eq(wishlistItems.userId, userId)))
        .returning({ id: wishlistItems.id }),
  )
  if (deleted.length === 0) return notFound('Wishlist item not found')

  await traced(
    'Redis - Delete Cache',
    { annotations: { operation: 'DEL' }, metadata: { key: `wishlist:${userId}` } },
    () => redis.del(`wishlist:${userId}`),
  )
  return noContent()
}

function parseNewItem(body: string | null): NewItem | undefined {
  let input: unknown
  try {
    input = JSON.parse(body ?? '')
  } catch {
    return undefined
  }
  if (typeof input !== 'object' || input === null) return undefined
  const { setNumber, name } = input as Record<string, unknown>
  if (typeof setNumber !== 'string' || !SET_NUMBER.test(setNumber.trim())) return undefined
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) return undefined
  return { setNumber: setNumber.trim(), name: name.trim() }
}
