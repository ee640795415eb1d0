import { Pool } from 'pg'
import { traced, withTracing } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'
import * as pg from 'pg'

capturePostgres(pg)

const pool = new Pool()

// serverless.yml names this export: `handler: configured-entry-point.process`.
export const process = withTracing({ service: 'configured-entry-point-process' }, async (payload: { ids: string[] }) => {
  await traced('Database Query - UPDATE jobs', { annotations: { operation: 'UPDATE', table: 'jobs' } }, () => pool.query('UPDATE jobs SET done = true WHERE id = ANY($1)', [payload.ids]))
})
