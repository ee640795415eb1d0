import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { db } from '../lib/db/client'
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
    // Drizzle's query API: the table is the key under `db.query`, not an argument.
    const moc = await traced(
      'Database Query - SELECT moc_instructions',
      { annotations: { operation: 'SELECT', table: 'moc_instructions' } },
      () => db.query.mocInstructions.findFirst({ where: eq(mocInstructions.id, id) }),
    )
    const mine = await traced(
      'Database Query - SELECT moc_instructions',
      { annotations: { operation: 'SELECT', table: 'moc_instructions' } },
      () =>
        db.query.mocInstructions.findMany({
          where: (table, { eq }) => eq(table.userId, 'user-1'),
        }),
    )
    return { statusCode: moc ? 200 : 404, body: JSON.stringify({ moc, mine }) }
  },
)
