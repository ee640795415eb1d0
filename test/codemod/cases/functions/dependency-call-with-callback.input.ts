import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { search } from '../lib/search/opensearch'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  // The chain ends in `.catch(...)`: the whole chain is the dependency call.
  await search.delete({ index: 'mocs', id }).catch((error) => {
    console.error('index delete failed', error)
  })
  return { statusCode: 204, body: '' }
}
