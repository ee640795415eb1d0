import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq, sql } from 'drizzle-orm'
import { db, pool } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'
import { withTracing, traced } from '../lib/tracing'

export const handler = withTracing(
  {
    service: 'moc-instructions',
    annotations: {
      userId: { from: 'claim', name: 'sub' },
      mocId: { from: 'pathParameter', name: 'id' },
    },
  },
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const id = event.pathParameters?.id ?? ''
    const [created] = await traced(
      'Database Query - INSERT moc_instructions',
      { annotations: { operation: 'INSERT', table: 'moc_instructions' } },
      () => db.insert(mocInstructions).values({ userId: 'user-1', title: 'Castle' }).returning(),
    )
    await traced(
      'Database Query - UPDATE moc_instructions',
      { annotations: { operation: 'UPDATE', table: 'moc_instructions' } },
      () => db.update(mocInstructions).set({ title: 'Keep' }).where(eq(mocInstructions.id, id)),
    )
    await traced(
      'Database Query - DELETE moc_instructions',
      { annotations: { operation: 'DELETE', table: 'moc_instructions' } },
      () => db.delete(mocInstructions).where(eq(mocInstructions.id, id)),
    )
    await traced('Database Query - EXECUTE', { annotations: { operation: 'EXECUTE' } }, () =>
      db.execute(sql`select 1`),
    )
    // `pool` is a Postgres client too (the manifest lists it next to `db`).
    await traced('Database Query - QUERY', { annotations: { operation: 'QUERY' } }, () =>
      pool.query('select now()'),
    )
    return { statusCode: 201, body: JSON.stringify(created) }
  },
)
