import { Pool } from 'pg'

const pool = new Pool()

export const handler = async (event: { id: string }) => {
  const { rows } = await pool.query('SELECT 1' [event.id]
  return rows
}
