import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id
  const count = 3
  console.log('request received')
  console.info('request for', id)
  console.debug('event', event.resource, event.httpMethod)
  console.warn(`slow request for ${id}`)
  console.log(count)
  console.log(event.resource, id, count)
  console.info()
  console.error(new Error('no such MOC'))
  console.error('lookup failed', new Error('no such MOC'))
  // Not a logging level the JSON logger has: left as it is.
  console.table([{ id }])
  return { statusCode: 200, body: '' }
}
