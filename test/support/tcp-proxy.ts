import net from 'node:net'

/*
 * A loopback TCP proxy in front of a real server (Postgres, Redis, the loopback S3 and OpenSearch
 * servers) that injects the network faults a Lambda function meets: a server that refuses
 * connections, connections dropped in the middle of a request, and a server that stops
 * answering. The client under test talks to the proxy's port and never knows.
 */

/**
 * - `pass`: bytes flow both ways.
 * - `refuse`: nothing listens on the port (new connections get ECONNREFUSED) and every live
 *   connection is reset: the server is down.
 * - `drop`: a connection is destroyed as soon as the client sends a byte on it (mid-request).
 * - `stall`: connections are accepted but nothing is forwarded either way, on new and live
 *   connections alike; they are destroyed when the mode changes, as a partition ends in resets.
 */
export type ProxyMode = 'pass' | 'refuse' | 'drop' | 'stall'

export interface TcpProxy {
  /** The proxy's port on 127.0.0.1, fixed for its whole life (also while refusing). */
  readonly port: number
  readonly mode: ProxyMode
  /** Connections accepted so far. */
  readonly accepted: number
  /** Switches the fault; resolves once the listener is closed or open again. */
  setMode(mode: ProxyMode): Promise<void>
  /** Destroys every live connection (an idle connection dropped by a failover or a timeout). */
  dropConnections(): void
  close(): Promise<void>
}

interface Pair {
  client: net.Socket
  upstream?: net.Socket
  stalled: boolean
}

/**
 * Starts a proxy to `target` on an ephemeral port of 127.0.0.1, in `pass` mode.
 *
 * @example
 * const proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 })
 * process.env.REDIS_URL = `redis://127.0.0.1:${proxy.port}`
 * await proxy.setMode('refuse')
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass'
  let accepted = 0
  const pairs = new Set<Pair>()

  const destroy = (pair: Pair) => {
    pairs.delete(pair)
    pair.client.destroy()
    pair.upstream?.destroy()
  }

  const onConnection = (client: net.Socket) => {
    accepted++
    const pair: Pair = { client, stalled: mode === 'stall' }
    pairs.add(pair)
    client.on('error', () => destroy(pair))
    client.on('close', () => destroy(pair))
    client.on('data', (chunk) => {
      if (mode === 'drop') return destroy(pair)
      if (mode === 'stall') pair.stalled = true
      if (pair.stalled) return
      pair.upstream?.write(chunk)
    })
    if (pair.stalled) return
    // Bytes the client sends before the upstream connects are buffered until it does.
    client.pause()
    const upstream = net.connect(target)
    pair.upstream = upstream
    upstream.on('connect', () => client.resume())
    upstream.on('error', () => destroy(pair))
    upstream.on('close', () => destroy(pair))
    upstream.on('data', (chunk) => {
      if (mode === 'stall') pair.stalled = true
      if (!pair.stalled) client.write(chunk)
    })
  }

  let server = net.createServer(onConnection)
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve((server.address() as net.AddressInfo).port)
      })
    })
  const port = await listen(0)
  let listening = true

  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve()
      listening = false
      server.close(() => resolve())
    })

  const dropConnections = () => {
    for (const pair of [...pairs]) {
      // A reset, as a server that goes away or a middlebox that forgets the connection sends.
      pair.client.resetAndDestroy()
      destroy(pair)
    }
  }

  return {
    port,
    get mode() {
      return mode
    },
    get accepted() {
      return accepted
    },
    async setMode(next) {
      const previous = mode
      mode = next
      if (previous === 'stall' && next !== 'stall') {
        for (const pair of [...pairs]) if (pair.stalled) destroy(pair)
      }
      if (next === 'refuse') {
        dropConnections()
        await stopListening()
      } else if (!listening) {
        server = net.createServer(onConnection)
        await listen(port)
        listening = true
      }
    },
    dropConnections,
    async close() {
      dropConnections()
      await stopListening()
    },
  }
}
