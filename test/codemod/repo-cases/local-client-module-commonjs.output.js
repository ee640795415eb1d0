const { GetObjectCommand } = require('@aws-sdk/client-s3')
const { s3, redis } = require('./lib/clients.cjs')
const { traced, withTracing } = require('./lib/tracing')

exports.handler = withTracing({ service: 'local-client-module-commonjs' }, async (event) => {
  const object = await traced('S3 - Get Object', { annotations: { operation: 'GetObject', bucket: 'assets' }, metadata: { key: event.key } }, () => s3.send(new GetObjectCommand({ Bucket: 'assets', Key: event.key })))
  await traced('Redis - Incr Cache', { annotations: { operation: 'INCR' }, metadata: { key: `downloads:${event.key}` } }, () => redis.incr(`downloads:${event.key}`))
  return object.ContentLength
})
