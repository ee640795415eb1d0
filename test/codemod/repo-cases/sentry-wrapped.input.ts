import * as Sentry from '@sentry/aws-serverless'
import { Pool } from 'pg'

const pool = new Pool()

export const handler = Sentry.wrapHandler(async (event: { id: string }) => {
  const { rows } = await pool.query('SELECT * FROM invoices WHERE id = $1', [event.id])
  return rows[0]
})
