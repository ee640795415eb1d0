import { renderToString } from 'react-dom/server'
import { Pool } from 'pg'
import { traced, withTracing } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'
import * as pg from 'pg'

capturePostgres(pg)

const pool = new Pool()

// A handler that renders JSX: the rewritten file is parsed as TSX to prove it still parses.
export const handler = withTracing({ service: 'tsx-handler' }, async (event: { id: string }) => {
  const { rows } = await traced('Database Query - SELECT pages', { annotations: { operation: 'SELECT', table: 'pages' } }, () => pool.query('SELECT name FROM pages WHERE id = $1', [event.id]))
  return { statusCode: 200, body: renderToString(<h1>{rows[0]?.name}</h1>) }
})
