import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { orders } from './lib/schema'

const pool = new pg.Pool()
const db = drizzle(pool)

export const handler = async (event: { id: string }) => {
  const [order] = await db.select().from(orders).where(eq(orders.id, event.id))
  await db.update(orders).set({ status: 'seen' }).where(eq(orders.id, event.id))
  return order
}
