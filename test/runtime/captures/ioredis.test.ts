import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exceptionsOf, startCaptureHarness, type CaptureHarness } from './harness'

let harness: CaptureHarness
let captureIoredis: typeof import('../../../generated/lego-api/src/lib/tracing/capture-ioredis').captureIoredis
const clients: Redis[] = []

/** A client of the shared Redis whose keys all carry this suite's prefix. */
async function connectedClient(): Promise<Redis> {
  const client = new Redis('redis://127.0.0.1:6379', { keyPrefix: 'xray-scaffold:captures:' })
  clients.push(client)
  // Connected before any trace: the connection's own commands (the ready check) are not calls.
  await new Promise((resolve) => client.once('ready', resolve))
  return client
}

beforeAll(async () => {
  harness = await startCaptureHarness()
  ;({ captureIoredis } =
    await import('../../../generated/lego-api/src/lib/tracing/capture-ioredis'))
})

afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()))
  await harness?.close()
})

describe('captureIoredis (real ioredis, shared Redis)', () => {
  it('records each command as a remote Redis subsegment with command, prefixed key and GET hit/miss, never the value', async () => {
    const redis = captureIoredis(await connectedClient())
    const key = `moc-${Date.now()}`
    const replies: unknown[] = []
    const { docs, raw } = await harness.traceOf(async () => {
      replies.push(await redis.get(key))
      replies.push(await redis.set(key, 'cached-value-secret', 'EX', 60))
      replies.push(await redis.get(key))
      replies.push(await redis.del(key))
    })
    expect(replies).toEqual([null, 'OK', 'cached-value-secret', 1])
    const commands = docs.filter((d) => d.name === 'Redis')
    expect(commands.map((c) => c.metadata!.default.command)).toEqual(['GET', 'SET', 'GET', 'DEL'])
    for (const command of commands) {
      expect(command.namespace).toBe('remote')
      expect(command.metadata!.default.key).toBe(`xray-scaffold:captures:${key}`)
      expect(command.end_time).toBeGreaterThanOrEqual(command.start_time)
    }
    expect(commands[0]!.metadata!.default.hit).toBe(false)
    expect(commands[2]!.metadata!.default.hit).toBe(true)
    expect(JSON.stringify(raw)).not.toContain('cached-value-secret')
  })

  it('records a failing command as a fault with the Redis error', async () => {
    const redis = captureIoredis(await connectedClient(), 'Sessions')
    const key = `wishlist-${Date.now()}`
    let thrown: unknown
    const { docs } = await harness.traceOf(async () => {
      await redis.set(key, 'x', 'EX', 60)
      await redis.lpush(key, 'y').catch((error: unknown) => (thrown = error))
    })
    expect(String(thrown)).toContain('WRONGTYPE')
    const failed = docs.find(
      (d) => d.name === 'Sessions' && d.metadata!.default.command === 'LPUSH',
    )!
    expect(failed.namespace).toBe('remote')
    expect(failed.fault).toBe(true)
    expect(exceptionsOf(failed)[0]!.message).toContain('WRONGTYPE')
  })

  it('traces a command sent before the connection is ready once, when it is answered', async () => {
    const client = new Redis('redis://127.0.0.1:6379', { keyPrefix: 'xray-scaffold:captures:' })
    clients.push(client)
    const redis = captureIoredis(client)
    const { docs } = await harness.traceOf(async () => {
      // Queued offline, then sent again by ioredis when the connection is up.
      expect(await redis.get(`offline-${Date.now()}`)).toBeNull()
    })
    // The connection's handshake (HELLO, CLIENT SETINFO, INFO) is traced too: it is sent while
    // the invocation waits. The GET, sent twice by ioredis, is one subsegment.
    const gets = docs.filter((d) => d.name === 'Redis' && d.metadata!.default.command === 'GET')
    expect(gets).toHaveLength(1)
    expect(gets[0]!.metadata!.default.hit).toBe(false)
  })

  it('on an unsampled trace sends nothing and the command still answers', async () => {
    const redis = captureIoredis(await connectedClient())
    let pong = ''
    const { raw } = await harness.traceOf(async () => {
      pong = await redis.ping()
    }, false)
    expect(pong).toBe('PONG')
    expect(raw).toEqual([])
  })

  it('capturing twice records one subsegment per command', async () => {
    const redis = captureIoredis(captureIoredis(await connectedClient()))
    const { docs } = await harness.traceOf(() => redis.get(`twice-${Date.now()}`))
    expect(docs.filter((d) => d.name === 'Redis')).toHaveLength(1)
  })
})
