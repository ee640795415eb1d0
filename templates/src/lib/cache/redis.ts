import { createClient } from 'redis'
import { SERVICE_MAP_NAMES } from '../app-config'
import { captureRedis } from '../tracing/capture-redis'
import { logger } from '../tracing/logger'

/**
 * The Redis client, connected once per execution environment (outside the handler), with every
 * command a remote subsegment named like the Redis node on the service map (capture-redis.ts).
 */
export const redis = captureRedis(
  createClient({ url: process.env.REDIS_URL }),
  SERVICE_MAP_NAMES.redis,
)
// Without a listener a connection error would crash the process; the failing commands report it.
redis.on('error', (error: unknown) => logger.error('Redis client error', error))
await redis.connect()
