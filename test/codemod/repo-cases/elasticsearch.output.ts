import { Client } from '@elastic/elasticsearch'
import { traced, withTracing } from './lib/tracing'
import { captureElasticsearch } from './lib/tracing/capture-elasticsearch'

const elastic = captureElasticsearch(new Client({ node: process.env.ELASTIC_URL }))

export const handler = withTracing({ service: 'elasticsearch' }, async (event: { id: string; doc: object }) => {
  await traced('Elasticsearch - Index logs', { annotations: { operation: 'index', index: 'logs' } }, () => elastic.index({ index: 'logs', id: event.id, document: event.doc }))
  return traced('Elasticsearch - Get logs', { annotations: { operation: 'get', index: 'logs' } }, () => elastic.get({ index: 'logs', id: event.id }))
})
