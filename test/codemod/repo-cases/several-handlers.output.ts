import type { APIGatewayProxyEvent } from 'aws-lambda'
import { Pool } from 'pg'
import { traced, withTracing } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'
import * as pg from 'pg'

capturePostgres(pg)

const pool = new Pool()

export const list = withTracing({ service: 'several-handlers-list' }, async (event: APIGatewayProxyEvent) => {
  const { rows } = await traced('Database Query - SELECT notes', { annotations: { operation: 'SELECT', table: 'notes' } }, () => pool.query('SELECT * FROM notes'))
  return { statusCode: 200, body: JSON.stringify(rows) }
})

export const create = withTracing({ service: 'several-handlers-create' }, async (event: APIGatewayProxyEvent) => {
  await traced('Database Query - INSERT notes', { annotations: { operation: 'INSERT', table: 'notes' } }, () => pool.query('INSERT INTO notes (body) VALUES ($1)', [event.body]))
  return { statusCode: 201, body: '' }
})

export const remove = withTracing({ service: 'several-handlers-remove' }, async function remove(event: APIGatewayProxyEvent) {
  await traced('Database Query - DELETE notes', { annotations: { operation: 'DELETE', table: 'notes' } }, () => pool.query('DELETE FROM notes WHERE id = $1', [event.pathParameters?.id]))
  return { statusCode: 204, body: '' }
})
