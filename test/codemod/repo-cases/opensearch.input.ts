import { Client } from '@opensearch-project/opensearch'

const search = new Client({ node: process.env.OPENSEARCH_ENDPOINT })

export const handler = async (event: { q: string }) => {
  const result = await search.search({ index: 'products', body: { query: { match: { name: event.q } } } })
  return result.body.hits.hits
}
