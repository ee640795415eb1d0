const Redis = require('ioredis')

const redis = new Redis(process.env.REDIS_URL)

exports.handler = async (event) => {
  const count = await redis.incr(`hits:${event.page}`)
  await redis.hset('pages', event.page, count)
  return { count }
}
