import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>

const withErrorReporting = (fn: Handler): Handler => fn

export const handler = withErrorReporting(async (event) => ({
  statusCode: 200,
  body: event.resource,
}))
