import type { APIGatewayProxyEvent } from 'aws-lambda'
import { Pool } from 'pg'

const pool = new Pool()

export const handler = async (event: APIGatewayProxyEvent) => {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await pool.query('UPDATE stock SET count = count - 1 WHERE sku = $1', [event.pathParameters?.sku])
    return { statusCode: 200, body: '' }
  } catch (error) {
    console.error('reservation failed', error)
    return { statusCode: 500, body: '' }
  } finally {
    client.release()
  }
}
