const { GetObjectCommand } = require('@aws-sdk/client-s3')
const { s3, redis } = require('./lib/clients.cjs')

exports.handler = async (event) => {
  const object = await s3.send(new GetObjectCommand({ Bucket: 'assets', Key: event.key }))
  await redis.incr(`downloads:${event.key}`)
  return object.ContentLength
}
