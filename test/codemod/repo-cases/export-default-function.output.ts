import { createClient } from 'redis'
import { traced } from './lib/tracing'
import { captureRedis } from './lib/tracing/capture-redis'

const redis = captureRedis(createClient({ url: process.env.REDIS_URL }))

export default async function (event: { key: string }) {
  return { value: await traced('Redis - Get Cache', { annotations: { operation: 'GET' }, metadata: { key: event.key } }, () => redis.get(event.key)) }
}
