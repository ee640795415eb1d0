import { Pool } from 'pg'
import { traced } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'
import * as pg from 'pg'

capturePostgres(pg)

declare const awslambda: {
  streamifyResponse: (fn: (event: unknown, stream: NodeJS.WritableStream) => Promise<void>) => unknown
}

const pool = new Pool()

// A streaming handler keeps its (event, responseStream, context) signature: left as it is.
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const { rows } = await traced('Database Query - SELECT feed', { annotations: { operation: 'SELECT', table: 'feed' } }, () => pool.query('SELECT * FROM feed'))
  responseStream.write(JSON.stringify(rows))
  responseStream.end()
})
