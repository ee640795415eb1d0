const AWS = require('aws-sdk')
const { traced, withTracing } = require('./lib/tracing')
const { captureAWSv2Client } = require('./lib/tracing/capture-aws-v2')

const s3 = captureAWSv2Client(new AWS.S3())
const documents = captureAWSv2Client(new AWS.DynamoDB.DocumentClient())

exports.handler = withTracing({ service: 'aws-v2' }, async (event) => {
  const object = await traced('S3 - Get Object', { annotations: { operation: 'getObject', bucket: 'reports' }, metadata: { key: event.key } }, () => s3.getObject({ Bucket: 'reports', Key: event.key }).promise())
  await traced('DynamoDB - Put', { annotations: { operation: 'put', table: 'reports' } }, () => documents.put({ TableName: 'reports', Item: { key: event.key } }).promise())
  return object.ContentLength
})
