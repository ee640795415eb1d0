import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { flatten, startCollector, type Collector } from '../../src/trace/collector'
import type { EntityDocument, ExceptionDocument } from '../../src/trace/segment-document'
import { appEnvironment, invoke, lambdaEnvironment, restEvent } from '../support/lambda'
import { startS3Server, type S3Server } from '../support/s3-server'

let collector: Collector
let opensearchServer: Server
let s3Server: S3Server
let rt: typeof import('../../generated/lego-api/src/lib/tracing/index')
let dbModule: typeof import('../../generated/lego-api/src/lib/db/client')
let redisModule: typeof import('../../generated/lego-api/src/lib/cache/redis')
let s3Module: typeof import('../../generated/lego-api/src/lib/storage/s3')
let searchModule: typeof import('../../generated/lego-api/src/lib/search/opensearch')

const PASSWORD = 'pg-secret-password'

beforeAll(async () => {
  collector = await startCollector()
  lambdaEnvironment(collector.address)
  // A stub rather than test/support's OpenSearch server: these tests need fixed answers (a
  // search reporting 7 hits, a delete answering 404) to see them on the subsegments.
  opensearchServer = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.setHeader('content-type', 'application/json')
      if (req.url?.includes('_search')) {
        res.end(JSON.stringify({ hits: { total: { value: 7, relation: 'eq' }, hits: [] } }))
      } else if (req.method === 'DELETE') {
        res.statusCode = 404
        res.end(JSON.stringify({ result: 'not_found' }))
      } else res.end(JSON.stringify({ result: 'created', _id: '1' }))
    })
  })
  await new Promise<void>((resolve) => opensearchServer.listen(0, '127.0.0.1', resolve))
  const port = (opensearchServer.address() as { port: number }).port
  s3Server = await startS3Server()
  appEnvironment({
    bucket: 'lego-test-bucket',
    s3: s3Server.endpoint,
    openSearch: `http://admin:os-secret@127.0.0.1:${port}`,
  })
  // Trust auth ignores it; it must still never reach a document.
  process.env.POSTGRES_PASSWORD = PASSWORD
  rt = await import('../../generated/lego-api/src/lib/tracing/index')
  dbModule = await import('../../generated/lego-api/src/lib/db/client')
  redisModule = await import('../../generated/lego-api/src/lib/cache/redis')
  s3Module = await import('../../generated/lego-api/src/lib/storage/s3')
  searchModule = await import('../../generated/lego-api/src/lib/search/opensearch')
})

afterAll(async () => {
  await redisModule?.redis.quit()
  await dbModule?.pool.end()
  opensearchServer?.close()
  await s3Server?.close()
  await collector?.close()
})
beforeEach(() => {
  collector.clear()
  s3Server.clear()
})

/**
 * Runs `fn` inside a traced handler, invoked as a sampled `clients` function, and returns every
 * (sub)segment of its trace (nested ones included) and every document received.
 */
async function traceOf(fn: () => Promise<unknown>, sampled = true) {
  const handler = rt.withTracing({ service: 'test' }, async () => {
    await fn()
    return { statusCode: 200 }
  })
  const event = restEvent({
    method: 'GET',
    resource: '/api/mocs/{id}',
    pathParameters: { id: 'moc-1' },
  })
  const { traceId } = await invoke(handler, event, { functionName: 'clients', sampled })
  const raw = sampled
    ? await collector.waitFor((d) => d.some((doc) => doc.name === '## clients'), 5000)
    : await collector.waitForQuiet(200)
  return {
    docs: flatten(raw)
      .filter((entity) => entity.traceId === traceId)
      .map((entity) => entity.entity),
    raw,
  }
}

/** The exceptions recorded in an entity's `cause`. */
function exceptionsOf(entity: EntityDocument): ExceptionDocument[] {
  const cause = entity.cause
  if (typeof cause !== 'object' || !cause.exceptions) {
    throw new Error(`${entity.name} records no exceptions: ${JSON.stringify(cause)}`)
  }
  return cause.exceptions
}

describe("Postgres (the runtime's pg capture, under Drizzle)", () => {
  it('records one remote database@host subsegment per query, without password or parameter values', async () => {
    const { sql } = await import('drizzle-orm')
    const secretParam = 'param-value-never-recorded'
    const { docs, raw } = await traceOf(async () => {
      await dbModule.db.execute(sql`select ${secretParam}::text as v`)
      await dbModule.pool.query('select $1::int as n', [424242])
    })
    const queries = docs.filter((d) => d.name === 'test@127.0.0.1')
    expect(queries).toHaveLength(2)
    for (const query of queries) {
      expect(query.namespace).toBe('remote')
      expect(query.sql).toMatchObject({
        url: 'postgresql://127.0.0.1:5432/test',
        user: 'postgres',
        database_type: 'PostgreSQL',
      })
      expect(query.sql!.sanitized_query).toBeUndefined()
      expect(typeof query.end_time).toBe('number')
    }
    const text = JSON.stringify(raw)
    expect(text).not.toContain(PASSWORD)
    expect(text).not.toContain(secretParam)
    expect(text).not.toContain('424242')
  })

  it('records the statement text only with AWS_XRAY_COLLECT_SQL_QUERIES, still without values', async () => {
    process.env.AWS_XRAY_COLLECT_SQL_QUERIES = 'true'
    try {
      const { docs, raw } = await traceOf(() =>
        dbModule.pool.query('select $1::text as v', ['hidden-value']),
      )
      const query = docs.find((d) => d.name === 'test@127.0.0.1')!
      expect(query.sql!.sanitized_query).toBe('select $1::text as v')
      expect(JSON.stringify(raw)).not.toContain('hidden-value')
    } finally {
      delete process.env.AWS_XRAY_COLLECT_SQL_QUERIES
    }
  })

  it('records a failed query as a fault on its subsegment', async () => {
    const { docs } = await traceOf(() =>
      dbModule.pool.query('select * from no_such_table_here').catch(() => undefined),
    )
    const query = docs.find((d) => d.name === 'test@127.0.0.1')!
    expect(query.fault).toBe(true)
    expect(exceptionsOf(query)[0].message).toContain('no_such_table_here')
  })

  it('captures a pg.Client used directly (promise form, callback in the config) and marks named statements as prepared', async () => {
    const pg = (await import('pg')).default
    const client = new pg.Client({
      host: '127.0.0.1',
      port: 5432,
      database: 'test',
      user: 'postgres',
    })
    await client.connect()
    try {
      const { docs } = await traceOf(async () => {
        await client.query('select 1 as one')
        await client.query({ name: 'two', text: 'select $1::int as two', values: [2] })
        // pg also takes the callback inside the config (its typings do not say so).
        const query = client.query.bind(client) as (config: unknown) => unknown
        await new Promise<void>((resolve, reject) => {
          query({
            text: 'select 3 as three',
            callback: (error: Error | null) => (error ? reject(error) : resolve()),
          })
        })
      })
      const [plain, named, withCallback] = docs.filter((d) => d.name === 'test@127.0.0.1')
      expect(plain!.sql!.preparation).toBeUndefined()
      expect(named!.sql!.preparation).toBe('statement')
      for (const query of [plain!, named!, withCallback!]) {
        expect(query.end_time).toBeGreaterThanOrEqual(query.start_time)
      }
    } finally {
      await client.end()
    }
  })

  it('on an unsampled trace runs the query without recording it', async () => {
    let rows: unknown[] = []
    const { raw } = await traceOf(async () => {
      rows = (await dbModule.pool.query('select 7 as seven')).rows
    }, false)
    expect(rows).toEqual([{ seven: 7 }])
    expect(raw).toEqual([])
  })
})

describe('Redis (node-redis command tracing channel)', () => {
  it('records each command as a remote Redis subsegment with command, key and GET hit/miss', async () => {
    const key = `moc:test-${Date.now()}`
    const { docs, raw } = await traceOf(async () => {
      await redisModule.redis.get(key)
      await redisModule.redis.set(key, 'cached-value-secret', { EX: 60 })
      await redisModule.redis.get(key)
      await redisModule.redis.del(key)
    })
    const commands = docs.filter((d) => d.name === 'Redis')
    expect(commands.map((c) => c.metadata!.default.command)).toEqual(['GET', 'SET', 'GET', 'DEL'])
    for (const command of commands) {
      expect(command.namespace).toBe('remote')
      expect(command.metadata!.default.key).toBe(key)
      expect(typeof command.end_time).toBe('number')
    }
    expect(commands[0].metadata!.default.hit).toBe(false)
    expect(commands[2].metadata!.default.hit).toBe(true)
    expect(JSON.stringify(raw)).not.toContain('cached-value-secret')
  })

  it('records a failing command as a fault', async () => {
    const key = `wishlist:test-${Date.now()}`
    const { docs } = await traceOf(async () => {
      await redisModule.redis.set(key, 'x', { EX: 60 })
      await redisModule.redis.lPush(key, 'y').catch(() => undefined)
    })
    const failed = docs.find((d) => d.name === 'Redis' && d.metadata!.default.command === 'LPUSH')!
    expect(failed.fault).toBe(true)
    expect(exceptionsOf(failed)[0].message).toContain('WRONGTYPE')
  })
})

describe('S3 (captureAWSv3Client)', () => {
  it('records calls as aws S3 subsegments with request id and status, a 4xx as an error, and names the subsegment in the trace header', async () => {
    const { GetObjectCommand, PutObjectCommand } = await import('@aws-sdk/client-s3')
    const key = 'mocs/user-1/moc-1/instructions.pdf'
    let traceId = ''
    const { docs } = await traceOf(async () => {
      traceId = process.env._X_AMZN_TRACE_ID!.split(';')[0]!.slice('Root='.length)
      await s3Module.s3.send(
        new PutObjectCommand({ Bucket: s3Module.BUCKET, Key: key, Body: 'pdf-bytes' }),
      )
      await s3Module.s3
        .send(new GetObjectCommand({ Bucket: s3Module.BUCKET, Key: 'no/such/key' }))
        .catch(() => undefined)
    })
    const [put, missing] = docs.filter((d) => d.name === 'S3')
    const [putRequest, getRequest] = s3Server.requests()
    expect(put!.namespace).toBe('aws')
    expect(put!.aws).toMatchObject({
      operation: 'PutObject',
      bucket_name: 'lego-test-bucket',
      key,
      request_id: putRequest!.requestId,
    })
    expect(put!.http!.response!.status).toBe(200)
    expect(put!.fault ?? false).toBe(false)
    expect(putRequest!.headers['x-amzn-trace-id']).toBe(
      `Root=${traceId};Parent=${put!.id};Sampled=1`,
    )
    expect(missing!.aws).toMatchObject({ operation: 'GetObject', key: 'no/such/key' })
    expect(missing!.http!.response!.status).toBe(404)
    expect(missing!.error).toBe(true)
    expect(missing!.fault ?? false).toBe(false)
    expect(getRequest!.headers['x-amzn-trace-id']).toContain(`Parent=${missing!.id};`)
  })

  it('on an unsampled trace records nothing but passes Sampled=0 on', async () => {
    const { PutObjectCommand } = await import('@aws-sdk/client-s3')
    const { raw } = await traceOf(
      () =>
        s3Module.s3.send(
          new PutObjectCommand({ Bucket: s3Module.BUCKET, Key: 'unsampled', Body: 'x' }),
        ),
      false,
    )
    expect(raw).toEqual([])
    expect(s3Server.requests()[0]!.headers['x-amzn-trace-id']).toMatch(
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
    )
  })

  it('traces a presign as an aws S3 subsegment marked presigned, without the URL or a fake status', async () => {
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner')
    const { GetObjectCommand } = await import('@aws-sdk/client-s3')
    let url = ''
    const { docs, raw } = await traceOf(async () => {
      url = await getSignedUrl(
        s3Module.s3,
        new GetObjectCommand({
          Bucket: s3Module.BUCKET,
          Key: 'mocs/user-1/moc-1/instructions.pdf',
        }),
        { expiresIn: 3600 },
      )
    })
    expect(url).toContain('X-Amz-Signature=')
    // The trace header the capture adds is never part of the signed URL.
    expect(url.toLowerCase()).not.toContain('trace')
    const s3Call = docs.find((d) => d.name === 'S3')!
    expect(s3Call.namespace).toBe('aws')
    expect(s3Call.aws).toMatchObject({
      operation: 'GetObject',
      bucket_name: 'lego-test-bucket',
      key: 'mocs/user-1/moc-1/instructions.pdf',
    })
    expect(s3Call.metadata!.default.presigned).toBe(true)
    expect(s3Call.http?.response).toBeUndefined()
    const text = JSON.stringify(raw)
    expect(text).not.toContain('X-Amz-Signature')
    expect(text).not.toContain(new URL(url).searchParams.get('X-Amz-Signature')!)
  })
})

describe('OpenSearch (transport.request)', () => {
  it('records search, index and delete as remote subsegments with http, index, operation and hits', async () => {
    const { docs, raw } = await traceOf(async () => {
      await searchModule.search.search({
        index: 'mocs',
        body: { query: { match: { title: 'castle' } } },
      })
      await searchModule.search.index({ index: 'mocs', id: 'moc-1', body: { title: 'Castle' } })
      await searchModule.search.delete({ index: 'mocs', id: 'moc-2' }).catch(() => undefined)
    })
    const calls = docs.filter((d) => d.name === 'OpenSearch')
    expect(calls.map((c) => c.annotations)).toEqual([
      { index: 'mocs', operation: 'search' },
      { index: 'mocs', operation: 'index' },
      { index: 'mocs', operation: 'delete' },
    ])
    const [searchCall, indexCall, deleteCall] = calls
    expect(searchCall.namespace).toBe('remote')
    expect(searchCall.http!.request!.method).toBe('POST')
    expect(searchCall.http!.request!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mocs\/_search$/)
    expect(searchCall.http!.response!.status).toBe(200)
    expect(searchCall.metadata!.default.hits).toBe(7)
    expect(indexCall.http!.request!.method).toBe('PUT')
    expect(deleteCall.http!.response!.status).toBe(404)
    expect(deleteCall.error).toBe(true)
    const text = JSON.stringify(raw)
    expect(text).not.toContain('os-secret')
    expect(text).not.toContain('castle')
  })
})
