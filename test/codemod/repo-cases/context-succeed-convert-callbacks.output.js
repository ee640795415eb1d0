const { createClient } = require('redis')
const { traced, withTracing } = require('./lib/tracing')
const { captureRedis } = require('./lib/tracing/capture-redis')

const redis = captureRedis(createClient())

exports.handler = withTracing({ service: 'context-succeed-convert-callbacks' }, async (event, context) => {
  return new Promise((resolve, reject) => {
    const callback = (error, result) => (error ? reject(error) : resolve(result))
  traced('Redis - Get Cache', { annotations: { operation: 'GET' }, metadata: { key: event.key } }, () => redis
    .get(event.key))
    .then((value) => resolve({ value }))
    .catch((error) => reject(error))
  })
})
