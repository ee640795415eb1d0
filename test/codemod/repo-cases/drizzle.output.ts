import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { orders } from './lib/schema'
import { traced, withTracing } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'

capturePostgres(pg)

const pool = new pg.Pool()
const db = drizzle(pool)

export const handler = withTracing({ service: 'drizzle' }, async (event: { id: string }) => {
  const [order] = await traced('Database Query - SELECT orders', { annotations: { operation: 'SELECT', table: 'orders' } }, () => db.select().from(orders).where(eq(orders.id, event.id)))
  await traced('Database Query - UPDATE orders', { annotations: { operation: 'UPDATE', table: 'orders' } }, () => db.update(orders).set({ status: 'seen' }).where(eq(orders.id, event.id)))
  return order
})
