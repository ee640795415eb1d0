const { createClient } = require('redis')
const { traced, withTracing } = require('./lib/tracing')
const { captureRedis } = require('./lib/tracing/capture-redis')

const redis = captureRedis(createClient())

async function handler(event) {
  return traced('Redis - Get Cache', { annotations: { operation: 'GET' }, metadata: { key: `session:${event.sessionId}` } }, () => redis.get(`session:${event.sessionId}`))
}

module.exports = {
  handler: withTracing({ service: 'commonjs-module-exports-object' }, handler),
  // A second entry point of the same file.
  refresh: withTracing({ service: 'commonjs-module-exports-object-refresh' }, async (event) => {
    await traced('Redis - Expire Cache', { annotations: { operation: 'EXPIRE' }, metadata: { key: `session:${event.sessionId}` } }, () => redis.expire(`session:${event.sessionId}`, 600))
  }),
}
