import axios from 'axios'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exceptionsOf, refusedPort, startCaptureHarness, type CaptureHarness } from './harness'
import { startHttpServer, type HttpServer } from './http-server'

let harness: CaptureHarness
let server: HttpServer
let captureAxios: typeof import('../../../generated/lego-api/src/lib/tracing/capture-axios').captureAxios

beforeAll(async () => {
  harness = await startCaptureHarness()
  server = await startHttpServer()
  ;({ captureAxios } = await import('../../../generated/lego-api/src/lib/tracing/capture-axios'))
})

afterAll(async () => {
  await server?.close()
  await harness?.close()
})

describe('captureAxios (real axios, loopback HTTP server)', () => {
  it('records each request as a remote subsegment with method, URL (no credentials, query or params) and status', async () => {
    const api = captureAxios(
      axios.create({ baseURL: `http://api-user:url-secret@127.0.0.1:${server.port}/v1` }),
    )
    let data: unknown
    const { docs, raw } = await harness.traceOf(async () => {
      data = (await api.get('/items?token=query-secret', { params: { q: 'param-secret' } })).data
      await api.post('items', { title: 'request-body-never-recorded' })
    })
    expect(data).toEqual({ status: 200, body: 'response-body-never-recorded' })
    // The credentials did reach the server, as basic auth: the capture did not drop them.
    expect(server.requests()[0]!.headers.authorization).toMatch(/^Basic /)
    const calls = docs.filter((d) => d.name === '127.0.0.1')
    expect(calls.map((c) => c.http)).toEqual([
      {
        request: { method: 'GET', url: `http://127.0.0.1:${server.port}/v1/items` },
        response: { status: 200 },
      },
      {
        request: { method: 'POST', url: `http://127.0.0.1:${server.port}/v1/items` },
        response: { status: 200 },
      },
    ])
    for (const call of calls) expect(call.namespace).toBe('remote')
    const text = JSON.stringify(raw)
    for (const secret of [
      'url-secret',
      'api-user',
      'query-secret',
      'param-secret',
      'never-recorded',
    ]) {
      expect(text).not.toContain(secret)
    }
  })

  it('flags a 4xx answer as an error and a 5xx as a fault with the axios error', async () => {
    const api = captureAxios(axios.create({ baseURL: server.origin }), 'Inventory')
    const statuses: number[] = []
    const { docs } = await harness.traceOf(async () => {
      for (const path of ['/missing', '/boom']) {
        await api.get(path).catch((error: { response: { status: number } }) => {
          statuses.push(error.response.status)
        })
      }
    })
    expect(statuses).toEqual([404, 500])
    const [missing, boom] = docs.filter((d) => d.name === 'Inventory')
    expect(missing!.http!.response!.status).toBe(404)
    expect(missing!.error).toBe(true)
    expect(missing!.fault ?? false).toBe(false)
    expect(boom!.http!.response!.status).toBe(500)
    expect(boom!.fault).toBe(true)
    expect(exceptionsOf(boom!)[0]!.message).toBe('Request failed with status code 500')
  })

  it('records a refused connection as a fault with its exception', async () => {
    const port = await refusedPort()
    const api = captureAxios(axios.create())
    let code: unknown
    const { docs } = await harness.traceOf(async () => {
      await api.get(`http://127.0.0.1:${port}/items`).catch((error: { code?: string }) => {
        code = error.code
      })
    })
    expect(code).toBe('ECONNREFUSED')
    const call = docs.find((d) => d.name === '127.0.0.1')!
    expect(call.fault).toBe(true)
    expect(call.http!.response).toBeUndefined()
    expect(exceptionsOf(call)[0]!.message).toContain('ECONNREFUSED')
  })

  it('on an unsampled trace sends nothing and the request still answers', async () => {
    const api = captureAxios(axios.create({ baseURL: server.origin }))
    let status = 0
    const { raw } = await harness.traceOf(async () => {
      status = (await api.get('/ok')).status
    }, false)
    expect(status).toBe(200)
    expect(raw).toEqual([])
  })

  it('capturing twice traces once, and the default axios instance can be captured', async () => {
    const api = captureAxios(captureAxios(axios.create({ baseURL: server.origin })))
    const defaultAxios = captureAxios(captureAxios(axios, 'Default axios'))
    const { docs } = await harness.traceOf(async () => {
      await api.get('/ok')
      await defaultAxios.get(`${server.origin}/ok`)
    })
    expect(docs.filter((d) => d.name === '127.0.0.1')).toHaveLength(1)
    expect(docs.filter((d) => d.name === 'Default axios')).toHaveLength(1)
  })
})
