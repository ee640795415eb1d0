import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { db } from '../lib/db/client'
import { mocInstructions as mocs } from '../lib/db/schema'
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
    // `db.query` is keyed by the schema's export name, whatever this file calls the table.
    const moc = await traced(
      'Database Query - SELECT moc_instructions',
      { annotations: { operation: 'SELECT', table: 'moc_instructions' } },
      () => db.query.mocInstructions.findFirst({ where: eq(mocs.id, id) }),
    )
    return { statusCode: moc ? 200 : 404, body: JSON.stringify(moc) }
  },
)
