import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { db } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'
import { withTracing, traced } from '../lib/tracing'

// The handler Lambda calls: an exported arrow function.
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
    const rows = await traced(
      'Database Query - SELECT moc_instructions',
      { annotations: { operation: 'SELECT', table: 'moc_instructions' } },
      () => db.select().from(mocInstructions).where(eq(mocInstructions.id, id)),
    )
    return { statusCode: 200, body: JSON.stringify(rows) }
  },
)
