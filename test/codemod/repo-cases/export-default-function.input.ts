import { createClient } from 'redis'

const redis = createClient({ url: process.env.REDIS_URL })

export default async function (event: { key: string }) {
  return { value: await redis.get(event.key) }
}
