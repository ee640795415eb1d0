import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { Pool } from 'pg'

const pool = new Pool()

/** Deletes an order. */
export async function handler(event: APIGatewayProxyEventV2) {
  await pool.query('DELETE FROM orders WHERE id = $1', [event.pathParameters?.id])
  return { statusCode: 204 }
}
