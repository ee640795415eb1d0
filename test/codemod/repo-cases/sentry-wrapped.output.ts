import * as Sentry from '@sentry/aws-serverless'
import { Pool } from 'pg'
import { traced, withTracing } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'
import * as pg from 'pg'

capturePostgres(pg)

const pool = new Pool()

export const handler = Sentry.wrapHandler(withTracing({ service: 'sentry-wrapped' }, async (event: { id: string }) => {
  const { rows } = await traced('Database Query - SELECT invoices', { annotations: { operation: 'SELECT', table: 'invoices' } }, () => pool.query('SELECT * FROM invoices WHERE id = $1', [event.id]))
  return rows[0]
}))
