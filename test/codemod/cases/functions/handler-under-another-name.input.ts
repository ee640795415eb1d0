import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'

export const main = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  return { statusCode: 200, body: event.resource }
}
