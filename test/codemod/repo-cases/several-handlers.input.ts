import type { APIGatewayProxyEvent } from 'aws-lambda'
import { Pool } from 'pg'

const pool = new Pool()

export const list = async (event: APIGatewayProxyEvent) => {
  const { rows } = await pool.query('SELECT * FROM notes')
  return { statusCode: 200, body: JSON.stringify(rows) }
}

export const create = async (event: APIGatewayProxyEvent) => {
  await pool.query('INSERT INTO notes (body) VALUES ($1)', [event.body])
  return { statusCode: 201, body: '' }
}

export async function remove(event: APIGatewayProxyEvent) {
  await pool.query('DELETE FROM notes WHERE id = $1', [event.pathParameters?.id])
  return { statusCode: 204, body: '' }
}
