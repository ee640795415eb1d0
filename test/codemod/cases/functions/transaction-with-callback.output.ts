import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { db } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'
import { withTracing, traced, captureError, logger } from '../lib/tracing'

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
    // One subsegment for the whole transaction; the statements inside run on `tx`, not on `db`.
    await traced(
      'Database Query - TRANSACTION',
      { annotations: { operation: 'TRANSACTION' } },
      () =>
        db.transaction(async (tx) => {
          try {
            await tx.delete(mocInstructions).where(eq(mocInstructions.id, id))
          } catch (error) {
            captureError(error)
            logger.error('delete failed', error)
            tx.rollback()
          }
        }),
    )
    return { statusCode: 204, body: '' }
  },
)
