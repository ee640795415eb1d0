import { Client } from '@opensearch-project/opensearch'
import { SERVICE_MAP_NAMES } from '../app-config'
import { captureOpenSearch } from '../tracing/capture-opensearch'

/**
 * The search client, with every request a remote subsegment named like the OpenSearch node on
 * the service map (capture-opensearch.ts).
 */
export const search = captureOpenSearch(
  new Client({ node: process.env.OPENSEARCH_ENDPOINT }),
  SERVICE_MAP_NAMES.opensearch,
)
