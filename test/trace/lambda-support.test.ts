import { afterEach, describe, expect, it } from 'vitest'
import type { APIGatewayProxyEvent, Context } from 'aws-lambda'
import {
  captureOutput,
  httpApiEvent,
  invoke,
  lambdaContext,
  newTraceHeader,
  restEvent,
} from '../support/lambda'
import { LEGO_API_TABLES, queryDatabase, resetDatabase } from '../support/postgres'

describe('events', () => {
  it('restEvent builds a REST v1 proxy event with the Cognito sub and a path filled from the resource', () => {
    const event = restEvent({
      method: 'GET',
      resource: '/api/mocs/{id}',
      pathParameters: { id: 'moc 1' },
      query: { q: 'castle' },
      userId: 'user-9',
    })
    expect(event).toMatchObject({
      httpMethod: 'GET',
      resource: '/api/mocs/{id}',
      path: '/api/mocs/moc%201',
      pathParameters: { id: 'moc 1' },
      queryStringParameters: { q: 'castle' },
      multiValueQueryStringParameters: { q: ['castle'] },
      body: null,
      requestContext: {
        stage: 'prod',
        resourcePath: '/api/mocs/{id}',
        authorizer: { claims: { sub: 'user-9' } },
      },
    })
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('restEvent sends objects as JSON and can leave the authorizer out', () => {
    const event = restEvent({
      method: 'POST',
      resource: '/api/wishlist',
      body: { setNumber: '10497' },
      userId: null,
    })
    expect(event.body).toBe('{"setNumber":"10497"}')
    expect(event.headers['content-type']).toBe('application/json')
    expect(event.requestContext.authorizer).toBeUndefined()
  })

  it('httpApiEvent builds a v2 event with JWT claims', () => {
    const event = httpApiEvent({
      method: 'DELETE',
      resource: '/api/wishlist/{itemId}',
      pathParameters: { itemId: 'w1' },
    })
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'DELETE /api/wishlist/{itemId}',
      rawPath: '/api/wishlist/w1',
      requestContext: {
        http: { method: 'DELETE', path: '/api/wishlist/w1' },
        authorizer: { jwt: { claims: { sub: 'user-1' } } },
      },
    })
  })

  it('refuses a resource whose path parameter has no value', () => {
    expect(() => restEvent({ method: 'GET', resource: '/api/mocs/{id}' })).toThrow(
      /no value for path parameter id/,
    )
  })
})

describe('trace header and context', () => {
  it('newTraceHeader has the Lambda format, the current time and the sampling decision', () => {
    const { header, traceId, parentId } = newTraceHeader(false)
    expect(header).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/)
    expect(header).toBe(`Root=${traceId};Parent=${parentId};Sampled=0`)
    const seconds = parseInt(traceId.split('-')[1], 16)
    expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(5)
    expect(newTraceHeader(true).header).toMatch(/;Sampled=1$/)
  })

  it('lambdaContext carries the function name and a request id', () => {
    const context = lambdaContext('gallery')
    expect(context).toMatchObject({ functionName: 'gallery', functionVersion: '$LATEST' })
    expect(context.invokedFunctionArn).toMatch(/:function:gallery$/)
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0)
  })
})

describe('invoke', () => {
  afterEach(() => {
    delete process.env._X_AMZN_TRACE_ID
  })

  it('sets the trace header for the call and captures stdout, stderr and console line by line', async () => {
    const handler = async (event: APIGatewayProxyEvent, context: Context) => {
      console.log(JSON.stringify({ level: 'INFO', trace: process.env._X_AMZN_TRACE_ID }))
      console.error('two\nlines')
      process.stdout.write('raw stdout\n')
      process.stderr.write(Buffer.from('raw stderr\n'))
      return { statusCode: 200, body: `${context.functionName} ${event.path}` }
    }
    const realWrite = process.stdout.write
    const { result, traceId, parentId, requestId, logs } = await invoke(
      handler,
      restEvent({ method: 'GET', resource: '/api/profile' }),
      { functionName: 'profile', sampled: true },
    )
    expect(result).toEqual({ statusCode: 200, body: 'profile /api/profile' })
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(logs).toEqual([
      JSON.stringify({ level: 'INFO', trace: `Root=${traceId};Parent=${parentId};Sampled=1` }),
      'two',
      'lines',
      'raw stdout',
      'raw stderr',
    ])
    expect(process.stdout.write).toBe(realWrite)
  })

  it('rejects when the handler throws, with the captured lines on the error', async () => {
    const handler = async () => {
      console.log('before the throw')
      throw new Error('boom')
    }
    const error = await invoke(handler, {}).catch((e: Error & { logs?: string[] }) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error & { logs: string[] }).logs).toEqual(['before the throw'])
  })

  it('captureOutput restores the real streams and console', () => {
    const originals = [process.stdout.write, process.stderr.write, console.log]
    const capture = captureOutput()
    console.log('captured')
    capture.restore()
    expect([process.stdout.write, process.stderr.write, console.log]).toEqual(originals)
    expect(capture.lines()).toEqual(['captured'])
  })
})

describe('resetDatabase', () => {
  it('creates the four lego-api tables and empties them', async () => {
    await resetDatabase()
    await queryDatabase(
      'INSERT INTO wishlist_items (user_id, set_number, name) VALUES ($1, $2, $3)',
      ['u', '10497', 'Galaxy Explorer'],
    )
    await resetDatabase()
    for (const table of LEGO_API_TABLES) {
      const { rows } = await queryDatabase<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)
      expect([table, rows[0].n]).toEqual([table, 0])
    }
  })
})
