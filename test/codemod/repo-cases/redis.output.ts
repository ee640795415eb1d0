import { createClient } from 'redis'
import { traced, withTracing } from './lib/tracing'
import { captureRedis } from './lib/tracing/capture-redis'

const redis = captureRedis(createClient({ url: process.env.REDIS_URL }))
redis.on('error', (error) => console.error(error))

export const handler = withTracing({ service: 'redis' }, async (event: { key: string }) => {
  await traced('Redis - Set Cache', { annotations: { operation: 'SET' }, metadata: { key: event.key } }, () => redis.set(event.key, 'seen', { EX: 60 }))
  return traced('Redis - Get Cache', { annotations: { operation: 'GET' }, metadata: { key: event.key } }, () => redis.get(event.key))
})
