import { createClient } from 'redis'
import pg from 'pg'
import { startCollector, type Collector } from '../../src/trace/collector'
import { startS3Server } from '../support/s3-server'
import { BENCH_DATABASE } from './bench-database'

/** What the benchmark's Lambda processes talk to, and the environment that points them there. */
export interface BenchServers {
  /** The X-Ray documents' loopback collector. */
  collector: Collector
  /** Environment of the MOC function (and the promise-loop handler). */
  env: Record<string, string>
  /** Stops the collector and the S3 server, and removes the benchmark's cache entries. */
  close(): Promise<void>
}

/**
 * Starts the loopback collector and S3 server; Postgres and Redis are the machine's own.
 *
 * @example
 * const servers = await startBenchServers()
 * const lambda = await startLambda({ bundle, env: servers.env })
 */
export async function startBenchServers(): Promise<BenchServers> {
  const collector = await startCollector()
  const s3 = await startS3Server()
  const env = {
    AWS_LAMBDA_FUNCTION_NAME: 'lego-api-moc-instructions',
    AWS_XRAY_DAEMON_ADDRESS: collector.address,
    POSTGRES_HOST: BENCH_DATABASE.host,
    POSTGRES_PORT: String(BENCH_DATABASE.port),
    POSTGRES_DB: BENCH_DATABASE.database,
    POSTGRES_USER: BENCH_DATABASE.user,
    POSTGRES_PASSWORD: BENCH_DATABASE.password,
    REDIS_URL: 'redis://127.0.0.1:6379',
    S3_BUCKET: 'lego-api-bench',
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    // MOC GET never searches; the client only needs an address when the module loads.
    OPENSEARCH_ENDPOINT: 'http://127.0.0.1:9200',
    POWERTOOLS_SERVICE_NAME: 'moc-instructions',
  }
  return {
    collector,
    env,
    async close() {
      await collector.close()
      await s3.close()
      await forgetCacheKeys()
    },
  }
}

/** The benchmark's cache entries expire on their own in 5 minutes; removing them is tidier. */
async function forgetCacheKeys(): Promise<void> {
  const redis = createClient({ url: 'redis://127.0.0.1:6379' })
  await redis.connect()
  try {
    const client = new pg.Client(BENCH_DATABASE)
    await client.connect()
    const { rows } = await client.query<{ id: string }>('SELECT id FROM moc_instructions')
    await client.end()
    for (let start = 0; start < rows.length; start += 500) {
      await redis.del(rows.slice(start, start + 500).map((row) => `moc:${row.id}`))
    }
  } finally {
    await redis.quit()
  }
}
