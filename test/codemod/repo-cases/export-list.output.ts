import type { APIGatewayProxyEvent } from 'aws-lambda'
import { createClient } from 'redis'
import { traced, withTracing } from './lib/tracing'
import { captureRedis } from './lib/tracing/capture-redis'

const redis = captureRedis(createClient())

const main = withTracing({ service: 'export-list' }, async function main(event: APIGatewayProxyEvent) {
  return { statusCode: 200, body: (await traced('Redis - Get Cache', { annotations: { operation: 'GET' }, metadata: { key: event.path } }, () => redis.get(event.path))) ?? '' }
})

const health = withTracing({ service: 'export-list-health' }, async (event: APIGatewayProxyEvent) => ({ statusCode: 200, body: event.path }))

// Exported by a list at the end, one of them under another name.
export { main as handler, health }
