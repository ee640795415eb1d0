import { Client } from '@elastic/elasticsearch'

const elastic = new Client({ node: process.env.ELASTIC_URL })

export const handler = async (event: { id: string; doc: object }) => {
  await elastic.index({ index: 'logs', id: event.id, document: event.doc })
  return elastic.get({ index: 'logs', id: event.id })
}
