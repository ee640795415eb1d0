const Redis = require('ioredis')
const { traced, withTracing } = require('./lib/tracing')
const { captureIoredis } = require('./lib/tracing/capture-ioredis')

const redis = captureIoredis(new Redis(process.env.REDIS_URL))

exports.handler = withTracing({ service: 'ioredis' }, async (event) => {
  const count = await traced('Redis - Incr Cache', { annotations: { operation: 'INCR' }, metadata: { key: `hits:${event.page}` } }, () => redis.incr(`hits:${event.page}`))
  await traced('Redis - Hset Cache', { annotations: { operation: 'HSET' }, metadata: { key: 'pages' } }, () => redis.hset('pages', event.page, count))
  return { count }
})
