import { renderToString } from 'react-dom/server'
import { Pool } from 'pg'

const pool = new Pool()

// A handler that renders JSX: the rewritten file is parsed as TSX to prove it still parses.
export const handler = async (event: { id: string }) => {
  const { rows } = await pool.query('SELECT name FROM pages WHERE id = $1', [event.id])
  return { statusCode: 200, body: renderToString(<h1>{rows[0]?.name}</h1>) }
}
