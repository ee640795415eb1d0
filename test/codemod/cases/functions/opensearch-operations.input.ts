import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { search } from '../lib/search/opensearch'

const INDEX = 'mocs'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const q = event.queryStringParameters?.q ?? ''
  const { body } = await search.search({ index: 'mocs', body: { query: { match: { title: q } } } })
  await search.index({ index: INDEX, id: 'moc-1', body: { title: q }, refresh: true })
  await search.delete({ index: 'mocs', id: 'moc-1' }, { ignore: [404] })
  return { statusCode: 200, body: JSON.stringify(body.hits.hits) }
}
