import { Client } from '@opensearch-project/opensearch'
import { SERVICE_MAP_NAMES } from '../app-config'
import { captureOpenSearch } from '../tracing/capture-opensearch'

/** Milliseconds from an environment variable, or the default when it is unset or not a number. */
function milliseconds(name: string, fallback: number): number {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

/**
 * The search client, with every request a remote subsegment named like the OpenSearch node on
 * the service map (capture-opensearch.ts). It connects on the first request, not at init. A
 * request unanswered within `OPENSEARCH_REQUEST_TIMEOUT_MS` (default 5 s; the client's own
 * default is 30 s) fails, and a failed connection is tried once more. With its one node marked
 * dead the client still uses it, so the first request after the domain is back is served.
 */
export const search = captureOpenSearch(
  new Client({
    node: process.env.OPENSEARCH_ENDPOINT,
    requestTimeout: milliseconds('OPENSEARCH_REQUEST_TIMEOUT_MS', 5_000),
    maxRetries: 1,
  }),
  SERVICE_MAP_NAMES.opensearch,
)
