import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exceptionsOf, refusedPort, startCaptureHarness, type CaptureHarness } from './harness'
import { startHttpServer, type HttpServer } from './http-server'

let harness: CaptureHarness
let server: HttpServer
let captureFetch: typeof import('../../../generated/lego-api/src/lib/tracing/capture-fetch').captureFetch

beforeAll(async () => {
  harness = await startCaptureHarness()
  server = await startHttpServer()
  ;({ captureFetch } = await import('../../../generated/lego-api/src/lib/tracing/capture-fetch'))
})

afterAll(async () => {
  await server?.close()
  await harness?.close()
})

describe('captureFetch (real fetch, loopback HTTP server)', () => {
  it('records a call as a remote subsegment named after the host, with method, URL without query string, and status', async () => {
    const fetch = captureFetch()
    let body: unknown
    const { docs, raw } = await harness.traceOf(async () => {
      const response = await fetch(`${server.origin}/v1/items?token=query-secret`, {
        method: 'post',
        body: 'request-body-never-recorded',
      })
      body = await response.json()
    })
    expect(body).toEqual({ status: 200, body: 'response-body-never-recorded' })
    const calls = docs.filter((d) => d.name === '127.0.0.1')
    expect(calls).toHaveLength(1)
    expect(calls[0]!.namespace).toBe('remote')
    expect(calls[0]!.http).toEqual({
      request: { method: 'POST', url: `${server.origin}/v1/items` },
      response: { status: 200 },
    })
    expect(calls[0]!.error ?? false).toBe(false)
    expect(calls[0]!.fault ?? false).toBe(false)
    const text = JSON.stringify(raw)
    expect(text).not.toContain('query-secret')
    expect(text).not.toContain('never-recorded')
  })

  it('names the subsegment `name` when given, and takes a Request or a URL object', async () => {
    const fetch = captureFetch(globalThis.fetch, 'Payments API')
    const { docs } = await harness.traceOf(async () => {
      await fetch(new Request(`${server.origin}/charges`, { method: 'PUT', body: 'x' }))
      await fetch(new URL(`${server.origin}/charges/1`))
    })
    const calls = docs.filter((d) => d.name === 'Payments API')
    expect(calls.map((c) => c.http!.request)).toEqual([
      { method: 'PUT', url: `${server.origin}/charges` },
      { method: 'GET', url: `${server.origin}/charges/1` },
    ])
  })

  it('flags a 4xx answer as an error and a 5xx as a fault with an exception', async () => {
    const fetch = captureFetch()
    const statuses: number[] = []
    const { docs } = await harness.traceOf(async () => {
      statuses.push((await fetch(`${server.origin}/missing`)).status)
      statuses.push((await fetch(`${server.origin}/boom`)).status)
    })
    expect(statuses).toEqual([404, 500])
    const [missing, boom] = docs.filter((d) => d.name === '127.0.0.1')
    expect(missing!.http!.response!.status).toBe(404)
    expect(missing!.error).toBe(true)
    expect(missing!.fault ?? false).toBe(false)
    expect(boom!.http!.response!.status).toBe(500)
    expect(boom!.fault).toBe(true)
    expect(exceptionsOf(boom!)[0]!.message).toContain('answered 500')
  })

  it('records a refused connection as a fault with the exception, and rethrows it', async () => {
    const fetch = captureFetch()
    const port = await refusedPort()
    let thrown: unknown
    const { docs } = await harness.traceOf(async () => {
      await fetch(`http://127.0.0.1:${port}/v1/items`).catch((error: unknown) => (thrown = error))
    })
    expect(thrown).toBeInstanceOf(TypeError)
    const call = docs.find((d) => d.name === '127.0.0.1')!
    expect(call.fault).toBe(true)
    expect(call.http).toEqual({
      request: { method: 'GET', url: `http://127.0.0.1:${port}/v1/items` },
    })
    expect(exceptionsOf(call)[0]!.message).toBe('fetch failed')
  })

  it('on an unsampled trace sends nothing and the call still answers', async () => {
    const fetch = captureFetch()
    let status = 0
    const { raw } = await harness.traceOf(async () => {
      status = (await fetch(`${server.origin}/ok`)).status
    }, false)
    expect(status).toBe(200)
    expect(raw).toEqual([])
  })

  it('capturing twice returns the same traced fetch: one subsegment per call', async () => {
    const once = captureFetch()
    const twice = captureFetch(once)
    expect(twice).toBe(once)
    const { docs } = await harness.traceOf(() => twice(`${server.origin}/ok`))
    expect(docs.filter((d) => d.name === '127.0.0.1')).toHaveLength(1)
  })
})
