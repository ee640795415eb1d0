import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq, sql } from 'drizzle-orm'
import { db, pool } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  const [created] = await db
    .insert(mocInstructions)
    .values({ userId: 'user-1', title: 'Castle' })
    .returning()
  await db.update(mocInstructions).set({ title: 'Keep' }).where(eq(mocInstructions.id, id))
  await db.delete(mocInstructions).where(eq(mocInstructions.id, id))
  await db.execute(sql`select 1`)
  // `pool` is a Postgres client too (the manifest lists it next to `db`).
  await pool.query('select now()')
  return { statusCode: 201, body: JSON.stringify(created) }
}
