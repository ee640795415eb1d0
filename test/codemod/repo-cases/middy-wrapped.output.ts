import middy from '@middy/core'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import type { APIGatewayProxyEvent } from 'aws-lambda'
import { Pool } from 'pg'
import { traced, withTracing } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'
import * as pg from 'pg'

capturePostgres(pg)

const pool = new Pool()

const createOrder = async (event: APIGatewayProxyEvent) => {
  await traced('Database Query - INSERT orders', { annotations: { operation: 'INSERT', table: 'orders' } }, () => pool.query('INSERT INTO orders (body) VALUES ($1)', [event.body]))
  return { statusCode: 201, body: '' }
}

// The middlewares stay; the inner function is traced.
export const handler = middy(withTracing({ service: 'middy-wrapped' }, createOrder)).use(httpJsonBodyParser())
