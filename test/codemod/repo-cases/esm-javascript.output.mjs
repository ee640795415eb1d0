import pg from 'pg'
import { traced, withTracing } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'

capturePostgres(pg)

const pool = new pg.Pool()

export const handler = withTracing({ service: 'esm-javascript' }, async (event) => {
  const { rows } = await traced('Database Query - INSERT events', { annotations: { operation: 'INSERT', table: 'events' } }, () => pool.query('INSERT INTO events (payload) VALUES ($1) RETURNING id', [event.body]))
  return { statusCode: 201, body: JSON.stringify(rows[0]) }
})
