import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { search } from '../lib/search/opensearch'
import { withTracing, traced, logger } from '../lib/tracing'

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
    // The chain ends in `.catch(...)`: the whole chain is the dependency call.
    await traced(
      'OpenSearch - Delete mocs',
      { annotations: { operation: 'delete', index: 'mocs' } },
      () =>
        search.delete({ index: 'mocs', id }).catch((error) => {
          logger.error('index delete failed', error)
        }),
    )
    return { statusCode: 204, body: '' }
  },
)
