import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { withTracing, logger } from '../lib/tracing'

export const handler = withTracing(
  {
    service: 'moc-instructions',
    annotations: {
      userId: { from: 'claim', name: 'sub' },
      mocId: { from: 'pathParameter', name: 'id' },
    },
  },
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const id = event.pathParameters?.id
    const count = 3
    logger.info('request received')
    logger.info('request for', id)
    logger.debug('event', [event.resource, event.httpMethod])
    logger.warn(`slow request for ${id}`)
    logger.info(String(count))
    logger.info(String(event.resource), [id, count])
    logger.info('')
    logger.error(String(new Error('no such MOC')))
    logger.error('lookup failed', new Error('no such MOC'))
    // Not a logging level the JSON logger has: left as it is.
    console.table([{ id }])
    return { statusCode: 200, body: '' }
  },
)
