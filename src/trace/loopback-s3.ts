import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { buffer } from 'node:stream/consumers'

/*
 * A loopback server for the part of the S3 REST API the lego-api uses, path-style
 * (`/<bucket>/<key>`): PutObject, GetObject, HeadObject, DeleteObject. No S3 can be installed on
 * this machine, so tests point the real @aws-sdk/client-s3 here. Signatures are not checked, so a
 * presigned GET works too.
 */

export interface StoredObject {
  body: Buffer
  contentType: string
  /** Quoted MD5 of the body, as S3 returns it for a single-part upload. */
  etag: string
  lastModified: Date
  /** `x-amz-meta-*` headers, without the prefix. */
  metadata: Record<string, string>
}

export interface S3Request {
  method: string
  bucket: string
  /** Decoded object key; empty for bucket-level requests. */
  key: string
  /** Query parameters (a presigned URL's `X-Amz-*` among them). */
  query: Record<string, string>
  headers: IncomingMessage['headers']
  /** The status the server answered with. */
  status: number
  /** The `x-amz-request-id` the server answered with (the SDK records it as `aws.request_id`). */
  requestId: string
}

export interface S3Server {
  /** `http://127.0.0.1:<port>`: the value for `endpoint` / `AWS_ENDPOINT_URL_S3`. */
  endpoint: string
  /** The stored object, or undefined. */
  object(bucket: string, key: string): StoredObject | undefined
  /** Every stored object, keyed `<bucket>/<key>`. */
  objects(): Map<string, StoredObject>
  /** Every request served, in order. */
  requests(): S3Request[]
  /** Forgets objects and requests. */
  clear(): void
  close(): Promise<void>
}

/**
 * Starts the server on 127.0.0.1 with an ephemeral port.
 *
 * @example
 * const s3Server = await startS3Server()
 * const s3 = new S3Client({ region: 'us-east-1', endpoint: s3Server.endpoint, forcePathStyle: true })
 */
export async function startS3Server(): Promise<S3Server> {
  const store = new Map<string, StoredObject>()
  let log: S3Request[] = []

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) sendError(res, 500, 'InternalError', error.message, '')
      else res.destroy(error)
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const [bucketPart = '', ...keyParts] = url.pathname.slice(1).split('/')
    const bucket = decodeURIComponent(bucketPart)
    const key = keyParts.map(decodeURIComponent).join('/')
    const body = await buffer(req)
    const requestId = randomBytes(8).toString('hex').toUpperCase()
    res.setHeader('x-amz-request-id', requestId)
    res.setHeader('x-amz-id-2', randomBytes(24).toString('base64'))
    res.setHeader('server', 'AmazonS3')
    res.on('finish', () => {
      log.push({
        method: req.method ?? '',
        bucket,
        key,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        status: res.statusCode,
        requestId,
      })
    })
    const resource = `/${bucket}/${key}`
    if (!bucket || !key) {
      return sendError(
        res,
        501,
        'NotImplemented',
        'Only object operations are served',
        resource,
        requestId,
      )
    }
    const id = `${bucket}/${key}`
    const stored = store.get(id)

    switch (req.method) {
      case 'PUT': {
        const content = decodeAwsChunked(req, body)
        const object: StoredObject = {
          body: content,
          contentType: header(req, 'content-type') ?? 'binary/octet-stream',
          etag: `"${createHash('md5').update(content).digest('hex')}"`,
          lastModified: new Date(),
          metadata: Object.fromEntries(
            Object.entries(req.headers)
              .filter(([name]) => name.startsWith('x-amz-meta-'))
              .map(([name, value]) => [name.slice('x-amz-meta-'.length), String(value)]),
          ),
        }
        store.set(id, object)
        res.writeHead(200, { etag: object.etag, 'content-length': '0' })
        return res.end()
      }
      case 'GET':
      case 'HEAD': {
        if (!stored) {
          if (req.method === 'HEAD') {
            // HEAD responses carry no body: S3 answers a bare 404, which the SDK reports as NotFound.
            res.writeHead(404, { 'content-length': '0' })
            return res.end()
          }
          return sendError(
            res,
            404,
            'NoSuchKey',
            'The specified key does not exist.',
            resource,
            requestId,
            key,
          )
        }
        res.writeHead(200, {
          'content-type': stored.contentType,
          'content-length': String(stored.body.length),
          etag: stored.etag,
          'last-modified': stored.lastModified.toUTCString(),
          'accept-ranges': 'bytes',
          ...Object.fromEntries(
            Object.entries(stored.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]),
          ),
        })
        return res.end(req.method === 'GET' ? stored.body : undefined)
      }
      case 'DELETE':
        // S3 answers 204 whether or not the key existed.
        store.delete(id)
        res.writeHead(204)
        return res.end()
      default:
        return sendError(
          res,
          405,
          'MethodNotAllowed',
          `${req.method} is not served`,
          resource,
          requestId,
        )
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    object: (bucket, key) => store.get(`${bucket}/${key}`),
    objects: () => new Map(store),
    requests: () => [...log],
    clear() {
      store.clear()
      log = []
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/**
 * The SDK sends stream bodies with `content-encoding: aws-chunked` (checksum trailers):
 * `<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>\r\n\r\n`. S3 stores the decoded
 * bytes, and so does this server.
 */
function decodeAwsChunked(req: IncomingMessage, body: Buffer): Buffer {
  const encoding = header(req, 'content-encoding') ?? ''
  const sha = header(req, 'x-amz-content-sha256') ?? ''
  if (!encoding.includes('aws-chunked') && !sha.startsWith('STREAMING-')) return body
  const parts: Buffer[] = []
  let offset = 0
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset)
    if (lineEnd < 0) break
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1').split(';')[0], 16)
    if (!Number.isFinite(size) || size === 0) break
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size))
    offset = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts)
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  resource: string,
  requestId = '',
  key?: string,
) {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>` +
    (key === undefined ? '' : `<Key>${escapeXml(key)}</Key>`) +
    `<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': String(Buffer.byteLength(xml)),
  })
  res.end(xml)
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)
}
