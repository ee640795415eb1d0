import type { APIGatewayProxyEvent } from 'aws-lambda'
import { Pool } from 'pg'

const pool = new Pool()

// Not named `handler`: its first parameter is an API Gateway event.
export const main = async (event: APIGatewayProxyEvent) => {
  const { rows } = await pool.query('SELECT * FROM products')
  return { statusCode: 200, body: JSON.stringify({ rows, path: event.path }) }
}

// Exported, but not an entry point.
export const format = (rows: unknown[]) => JSON.stringify(rows)
