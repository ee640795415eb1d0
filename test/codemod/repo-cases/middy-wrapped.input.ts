import middy from '@middy/core'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import type { APIGatewayProxyEvent } from 'aws-lambda'
import { Pool } from 'pg'

const pool = new Pool()

const createOrder = async (event: APIGatewayProxyEvent) => {
  await pool.query('INSERT INTO orders (body) VALUES ($1)', [event.body])
  return { statusCode: 201, body: '' }
}

// The middlewares stay; the inner function is traced.
export const handler = middy(createOrder).use(httpJsonBodyParser())
