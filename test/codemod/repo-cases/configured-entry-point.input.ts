import { Pool } from 'pg'

const pool = new Pool()

// serverless.yml names this export: `handler: configured-entry-point.process`.
export const process = async (payload: { ids: string[] }) => {
  await pool.query('UPDATE jobs SET done = true WHERE id = ANY($1)', [payload.ids])
}
