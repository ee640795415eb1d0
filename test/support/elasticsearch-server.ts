import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/*
 * A loopback server for the few Elasticsearch 8 REST endpoints the capture tests call: index, get
 * and delete a document, and search (every stored document matches). No Elasticsearch can be
 * installed on this machine. The OpenSearch server in this folder does not answer the product
 * header the Elasticsearch client checks on every response (`x-elastic-product: Elasticsearch`),
 * without which the client refuses the answer; this one does. An index named in `failingIndices`
 * answers 500, as a cluster with a failed shard does.
 */

export interface ElasticsearchServer {
  /** `http://127.0.0.1:<port>`: the value for the client's `node`. */
  endpoint: string
  /** Every request served (method and path), in order. */
  requests(): { method: string; path: string; status: number }[]
  close(): Promise<void>
}

type Json = Record<string, unknown>

/**
 * Starts the server on 127.0.0.1 with an ephemeral port.
 *
 * @example
 * const server = await startElasticsearchServer({ failingIndices: ['broken'] })
 * const client = new Client({ node: server.endpoint })
 */
export async function startElasticsearchServer(
  options: { failingIndices?: readonly string[] } = {},
): Promise<ElasticsearchServer> {
  const indices = new Map<string, Map<string, Json>>()
  const log: { method: string; path: string; status: number }[] = []

  function route(method: string, parts: string[], body: unknown): [number, Json] {
    const [index, endpoint, id] = parts
    if (parts.length === 0) {
      return [
        200,
        { name: 'loopback', version: { number: '8.19.0' }, tagline: 'You Know, for Search' },
      ]
    }
    if (options.failingIndices?.includes(index)) {
      const reason = `all shards failed on [${index}]`
      return [500, { error: { type: 'search_phase_execution_exception', reason }, status: 500 }]
    }
    const docs = indices.get(index)
    if (endpoint === '_search') {
      if (!docs) return [404, indexNotFound(index)]
      const hits = [...docs].map(([_id, _source]) => ({ _index: index, _id, _score: 1, _source }))
      return [
        200,
        {
          took: 1,
          timed_out: false,
          hits: { total: { value: hits.length, relation: 'eq' }, hits },
        },
      ]
    }
    if (endpoint === '_doc' && id !== undefined) {
      if (method === 'PUT' || method === 'POST') {
        const stored = indices.get(index) ?? new Map<string, Json>()
        indices.set(index, stored)
        const created = !stored.has(id)
        stored.set(id, (body ?? {}) as Json)
        return [
          created ? 201 : 200,
          { _index: index, _id: id, result: created ? 'created' : 'updated' },
        ]
      }
      const found = docs?.get(id)
      if (method === 'GET') {
        return found
          ? [200, { _index: index, _id: id, found: true, _source: found }]
          : [404, { _index: index, _id: id, found: false }]
      }
      if (method === 'DELETE') {
        docs?.delete(id)
        return [
          found ? 200 : 404,
          { _index: index, _id: id, result: found ? 'deleted' : 'not_found' },
        ]
      }
    }
    return [405, { error: `no handler for [${method}] /${parts.join('/')}`, status: 405 }]
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const text = Buffer.concat(chunks).toString('utf8')
      const method = req.method ?? 'GET'
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
      const [status, body] = route(method, parts, text ? JSON.parse(text) : undefined)
      log.push({ method, path: url.pathname, status })
      res.statusCode = status
      res.setHeader('x-elastic-product', 'Elasticsearch')
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => [...log],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

function indexNotFound(index: string): Json {
  const reason = `no such index [${index}]`
  return { error: { type: 'index_not_found_exception', reason, index }, status: 404 }
}
