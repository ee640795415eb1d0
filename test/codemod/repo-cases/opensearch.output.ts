import { Client } from '@opensearch-project/opensearch'
import { traced, withTracing } from './lib/tracing'
import { captureOpenSearch } from './lib/tracing/capture-opensearch'

const search = captureOpenSearch(new Client({ node: process.env.OPENSEARCH_ENDPOINT }))

export const handler = withTracing({ service: 'opensearch' }, async (event: { q: string }) => {
  const result = await traced('OpenSearch - Search products', { annotations: { operation: 'search', index: 'products' } }, () => search.search({ index: 'products', body: { query: { match: { name: event.q } } } }))
  return result.body.hits.hits
})
