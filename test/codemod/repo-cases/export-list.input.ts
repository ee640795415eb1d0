import type { APIGatewayProxyEvent } from 'aws-lambda'
import { createClient } from 'redis'

const redis = createClient()

async function main(event: APIGatewayProxyEvent) {
  return { statusCode: 200, body: (await redis.get(event.path)) ?? '' }
}

const health = async (event: APIGatewayProxyEvent) => ({ statusCode: 200, body: event.path })

// Exported by a list at the end, one of them under another name.
export { main as handler, health }
