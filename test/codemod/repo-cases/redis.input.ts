import { createClient } from 'redis'

const redis = createClient({ url: process.env.REDIS_URL })
redis.on('error', (error) => console.error(error))

export const handler = async (event: { key: string }) => {
  await redis.set(event.key, 'seen', { EX: 60 })
  return redis.get(event.key)
}
