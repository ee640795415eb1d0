import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { buffer } from 'node:stream/consumers'

/*
 * A loopback server for the part of the OpenSearch 2.x REST API the lego-api uses: index, get and
 * delete a document, and search with the common query clauses. No OpenSearch can be installed on
 * this machine, so tests point the real @opensearch-project/opensearch Client here. Matching is
 * deliberately simple (case-insensitive substring per query term); responses have the real shapes.
 */

export interface OpenSearchRequest {
  method: string
  /** Path without the query string: `/mocs/_doc/<id>`, `/mocs/_search`. */
  path: string
  query: Record<string, string>
  /** Parsed JSON body, if any. */
  body: unknown
  status: number
}

export interface OpenSearchServer {
  /** `http://127.0.0.1:<port>`: the value for `node` / `OPENSEARCH_ENDPOINT`. */
  endpoint: string
  /** The documents of an index: id -> source (a copy; empty when the index does not exist). */
  documents(index: string): Map<string, Record<string, unknown>>
  /** Every request served, in order. */
  requests(): OpenSearchRequest[]
  /** Forgets every document, index (standing ones are kept, empty) and request. */
  clear(): void
  close(): Promise<void>
}

export interface OpenSearchServerOptions {
  /**
   * Indices that exist from the start and survive `clear()` (emptied). Searching an index that
   * does not exist is a 404 `index_not_found_exception`, as on a real cluster.
   */
  indices?: readonly string[]
}

interface StoredDocument {
  source: Record<string, unknown>
  version: number
  seqNo: number
}

type Json = Record<string, unknown>

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(JSON.stringify(body))
  }
}

/**
 * Starts the server on 127.0.0.1 with an ephemeral port.
 *
 * @example
 * const searchServer = await startOpenSearchServer({ indices: ['mocs', 'gallery_images'] })
 * const client = new Client({ node: searchServer.endpoint })
 */
export async function startOpenSearchServer(
  options: OpenSearchServerOptions = {},
): Promise<OpenSearchServer> {
  const indices = new Map<string, Map<string, StoredDocument>>()
  const createStandingIndices = () => {
    for (const name of options.indices ?? []) indices.set(name, new Map())
  }
  createStandingIndices()
  let log: OpenSearchRequest[] = []
  let seqNo = 0

  const indexOf = (name: string, create: boolean) => {
    let index = indices.get(name)
    if (!index && create) indices.set(name, (index = new Map()))
    return index
  }
  const shards = { total: 2, successful: 1, failed: 0 }

  function route(method: string, parts: string[], body: unknown): [number, Json | undefined] {
    const [index, endpoint, id] = parts
    if (parts.length === 0) {
      return [
        200,
        {
          name: 'loopback',
          cluster_name: 'loopback',
          version: { distribution: 'opensearch', number: '2.19.0' },
          tagline: 'The OpenSearch Project: https://opensearch.org/',
        },
      ]
    }
    if (parts.length === 1) {
      if (method === 'HEAD') return [indices.has(index) ? 200 : 404, undefined]
      if (method === 'PUT') {
        if (indices.has(index)) throw indexError(400, 'resource_already_exists_exception', index)
        indexOf(index, true)
        return [200, { acknowledged: true, shards_acknowledged: true, index }]
      }
      if (method === 'DELETE') {
        if (!indices.delete(index)) throw indexError(404, 'index_not_found_exception', index)
        return [200, { acknowledged: true }]
      }
    }
    if (endpoint === '_search' && parts.length === 2 && (method === 'GET' || method === 'POST')) {
      return [200, search(index, isObject(body) ? body : {})]
    }
    if (endpoint === '_refresh' && parts.length === 2) {
      return [200, { _shards: { total: 1, successful: 1, failed: 0 } }]
    }
    if (endpoint === '_doc') {
      if (parts.length === 2 && method === 'POST')
        return put(index, randomBytes(10).toString('base64url'), body)
      if (parts.length === 3 && (method === 'PUT' || method === 'POST')) return put(index, id, body)
      if (parts.length === 3 && method === 'GET') {
        const stored = indices.get(index)?.get(id)
        if (!indices.has(index)) throw indexError(404, 'index_not_found_exception', index)
        if (!stored) return [404, { _index: index, _id: id, found: false }]
        return [
          200,
          {
            _index: index,
            _id: id,
            _version: stored.version,
            _seq_no: stored.seqNo,
            _primary_term: 1,
            found: true,
            _source: stored.source,
          },
        ]
      }
      if (parts.length === 3 && method === 'DELETE') {
        const docs = indexOf(index, false)
        const stored = docs?.get(id)
        docs?.delete(id)
        return [
          stored ? 200 : 404,
          {
            _index: index,
            _id: id,
            _version: (stored?.version ?? 0) + 1,
            result: stored ? 'deleted' : 'not_found',
            _shards: shards,
            _seq_no: ++seqNo,
            _primary_term: 1,
          },
        ]
      }
    }
    throw new HttpError(405, {
      error: `Incorrect HTTP method for uri [/${parts.join('/')}] and method [${method}]`,
      status: 405,
    })
  }

  function put(index: string, id: string, body: unknown): [number, Json] {
    if (!isObject(body)) throw parsingError('request body is required')
    const docs = indexOf(index, true)!
    const previous = docs.get(id)
    const stored = { source: body, version: (previous?.version ?? 0) + 1, seqNo: ++seqNo }
    docs.set(id, stored)
    return [
      previous ? 200 : 201,
      {
        _index: index,
        _id: id,
        _version: stored.version,
        result: previous ? 'updated' : 'created',
        _shards: shards,
        _seq_no: stored.seqNo,
        _primary_term: 1,
      },
    ]
  }

  function search(index: string, body: Json): Json {
    const docs = indices.get(index)
    if (!docs) throw indexError(404, 'index_not_found_exception', index)
    const query = isObject(body.query) ? body.query : { match_all: {} }
    checkQuery(query)
    const matched = [...docs].filter(([, doc]) => matches(query, doc.source))
    const from = typeof body.from === 'number' ? body.from : 0
    const size = typeof body.size === 'number' ? body.size : 10
    const hits = matched.slice(from, from + size).map(([id, doc]) => ({
      _index: index,
      _id: id,
      _score: 1,
      _source: doc.source,
    }))
    return {
      took: 1,
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: {
        total: { value: matched.length, relation: 'eq' },
        max_score: matched.length > 0 ? 1 : null,
        hits,
      },
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => send(res, 500, { error: error.message, status: 500 }))
  })

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const text = (await buffer(req)).toString('utf8')
    const method = req.method ?? 'GET'
    let body: unknown
    let status: number
    let response: Json | undefined
    try {
      body = text ? parseJson(text) : undefined
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
      ;[status, response] = route(method, parts, body)
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      ;[status, response] = [error.status, error.body]
    }
    log.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      status,
    })
    send(res, status, method === 'HEAD' ? undefined : response)
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    documents: (index) =>
      new Map(
        [...(indices.get(index) ?? [])].map(([id, doc]) => [id, structuredClone(doc.source)]),
      ),
    requests: () => [...log],
    clear() {
      indices.clear()
      createStandingIndices()
      log = []
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/** Does a document match a query clause? Unsupported clauses are a 400, as OpenSearch would say. */
function matches(query: Json, source: Json): boolean {
  const clauses = Object.entries(query)
  if (clauses.length !== 1)
    throw parsingError(`query must have exactly one clause, got ${clauses.length}`)
  const [[kind, spec]] = clauses
  if (!isObject(spec)) throw parsingError(`[${kind}] malformed query`)
  switch (kind) {
    case 'match_all':
      return true
    case 'match': {
      const [field, value] = single(kind, spec)
      return textMatches(fieldValues(source, field), isObject(value) ? value.query : value)
    }
    case 'multi_match': {
      const fields = Array.isArray(spec.fields) ? (spec.fields as string[]) : ['*']
      return fields.some((field) => {
        const name = field.replace(/\^[\d.]+$/, '')
        const values =
          name === '*' ? Object.values(source).flatMap(flat) : fieldValues(source, name)
        return textMatches(values, spec.query)
      })
    }
    case 'term': {
      const [field, value] = single(kind, spec)
      const wanted = isObject(value) ? value.value : value
      return fieldValues(source, field).some((v) => v === wanted)
    }
    case 'terms': {
      const [field, value] = single(kind, spec)
      if (!Array.isArray(value)) throw parsingError('[terms] query needs an array of values')
      return fieldValues(source, field).some((v) => value.includes(v))
    }
    case 'bool': {
      const list = (key: string) => {
        const value = spec[key]
        return (value === undefined ? [] : Array.isArray(value) ? value : [value]) as Json[]
      }
      const must = [...list('must'), ...list('filter')]
      const should = list('should')
      const mustNot = list('must_not')
      if (!must.every((q) => matches(q, source))) return false
      if (mustNot.some((q) => matches(q, source))) return false
      // Without must/filter, at least one should clause has to match (OpenSearch's default).
      if (should.length > 0 && must.length === 0) return should.some((q) => matches(q, source))
      return true
    }
    default:
      throw parsingError(`unknown query [${kind}] (not served by the loopback server)`)
  }
}

const QUERY_KINDS = new Set(['match_all', 'match', 'multi_match', 'term', 'terms', 'bool'])

/** Rejects what the server cannot evaluate up front, even when no document would be tested. */
function checkQuery(query: Json): void {
  const clauses = Object.entries(query)
  if (clauses.length !== 1)
    throw parsingError(`query must have exactly one clause, got ${clauses.length}`)
  const [[kind, spec]] = clauses
  if (!QUERY_KINDS.has(kind)) {
    throw parsingError(`unknown query [${kind}] (not served by the loopback server)`)
  }
  if (kind !== 'bool' || !isObject(spec)) return
  for (const key of ['must', 'filter', 'should', 'must_not']) {
    const value = spec[key]
    const list = value === undefined ? [] : Array.isArray(value) ? value : [value]
    for (const clause of list) {
      if (!isObject(clause)) throw parsingError(`[bool] ${key} clause is not an object`)
      checkQuery(clause)
    }
  }
}

function single(kind: string, spec: Json): [string, unknown] {
  const entries = Object.entries(spec)
  if (entries.length !== 1) throw parsingError(`[${kind}] query must name exactly one field`)
  return entries[0]
}

/** Values at a dotted field path; `.keyword` sub-fields resolve to the field itself. */
function fieldValues(source: Json, field: string): unknown[] {
  let values: unknown[] = [source]
  for (const part of field.replace(/\.keyword$/, '').split('.')) {
    values = values.flatMap((v) => (isObject(v) ? flat(v[part]) : []))
  }
  return values
}

function flat(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value.flatMap(flat) : [value]
}

/** Any term of the query text found, case-insensitively, inside any value. */
function textMatches(values: unknown[], text: unknown): boolean {
  const terms = String(text ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
  const haystacks = values.map((v) => String(v).toLowerCase())
  return terms.some((term) => haystacks.some((h) => h.includes(term)))
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw parsingError('request body is not valid JSON')
  }
}

function parsingError(reason: string): HttpError {
  return new HttpError(400, {
    error: {
      root_cause: [{ type: 'parsing_exception', reason }],
      type: 'parsing_exception',
      reason,
    },
    status: 400,
  })
}

function indexError(status: number, type: string, index: string): HttpError {
  const reason =
    type === 'index_not_found_exception'
      ? `no such index [${index}]`
      : `index [${index}] already exists`
  const cause = { type, reason, index, 'resource.id': index, 'resource.type': 'index_or_alias' }
  return new HttpError(status, { error: { root_cause: [cause], ...cause }, status })
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function send(res: ServerResponse, status: number, body: Json | undefined) {
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
  })
  res.end(text)
}
