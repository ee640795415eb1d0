import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface HttpServer {
  /** `http://127.0.0.1:<port>` */
  origin: string
  port: number
  /** Every request served: method, path with query string, headers. */
  requests(): { method: string; url: string; headers: IncomingHttpHeaders }[]
  close(): Promise<void>
}

/**
 * A loopback HTTP API for the fetch and axios captures: `/missing` answers 404, `/boom` 500,
 * any other path 200 with a JSON body.
 *
 * @example
 * const server = await startHttpServer()
 * await fetch(`${server.origin}/boom`) // 500
 */
export async function startHttpServer(): Promise<HttpServer> {
  const log: { method: string; url: string; headers: IncomingHttpHeaders }[] = []
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      log.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers })
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
      res.statusCode = path === '/missing' ? 404 : path === '/boom' ? 500 : 200
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ status: res.statusCode, body: 'response-body-never-recorded' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests: () => [...log],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
