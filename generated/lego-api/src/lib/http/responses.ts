import type { APIGatewayProxyResult } from 'aws-lambda'

const HEADERS = { 'Content-Type': 'application/json' }

export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: HEADERS, body: JSON.stringify(body) }
}

export const ok = (body: unknown) => json(200, body)

export const created = (body: unknown) => json(201, body)

export function noContent(): APIGatewayProxyResult {
  return { statusCode: 204, headers: {}, body: '' }
}

export const badRequest = (message: string) => json(400, { error: 'BAD_REQUEST', message })

export const unauthorized = () =>
  json(401, { error: 'UNAUTHORIZED', message: 'Authentication required' })

export const notFound = (message = 'Not found') => json(404, { error: 'NOT_FOUND', message })

export const methodNotAllowed = () =>
  json(405, { error: 'METHOD_NOT_ALLOWED', message: 'Method not allowed on this resource' })

/** The body of every 500: never echo the error, it may carry SQL or connection details. */
export const serverError = () =>
  json(500, { error: 'INTERNAL_ERROR', message: 'Internal server error' })
