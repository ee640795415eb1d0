import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { search } from '../lib/search/opensearch'
import { withTracing, traced } from '../lib/tracing'

const INDEX = 'mocs'

export const handler = withTracing(
  {
    service: 'moc-instructions',
    annotations: {
      userId: { from: 'claim', name: 'sub' },
      mocId: { from: 'pathParameter', name: 'id' },
    },
  },
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const q = event.queryStringParameters?.q ?? ''
    const { body } = await traced(
      'OpenSearch - Search mocs',
      { annotations: { operation: 'search', index: 'mocs' } },
      () => search.search({ index: 'mocs', body: { query: { match: { title: q } } } }),
    )
    await traced('OpenSearch - Index', { annotations: { operation: 'index', index: INDEX } }, () =>
      search.index({ index: INDEX, id: 'moc-1', body: { title: q }, refresh: true }),
    )
    await traced(
      'OpenSearch - Delete mocs',
      { annotations: { operation: 'delete', index: 'mocs' } },
      () => search.delete({ index: 'mocs', id: 'moc-1' }, { ignore: [404] }),
    )
    return { statusCode: 200, body: JSON.stringify(body.hits.hits) }
  },
)
