import pg from 'pg'

const pool = new pg.Pool()

export const handler = async (event) => {
  const { rows } = await pool.query('INSERT INTO events (payload) VALUES ($1) RETURNING id', [event.body])
  return { statusCode: 201, body: JSON.stringify(rows[0]) }
}
