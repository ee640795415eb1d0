import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { Pool } from 'pg'

const pool = new Pool({ connectionString: process.env.DATABASE_URL })

// The orders of one customer.
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const { rows } = await pool.query('SELECT id, total FROM orders WHERE customer_id = $1', [
    event.pathParameters?.customerId,
  ])
  return { statusCode: 200, body: JSON.stringify(rows) }
}
