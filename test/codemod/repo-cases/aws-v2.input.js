const AWS = require('aws-sdk')

const s3 = new AWS.S3()
const documents = new AWS.DynamoDB.DocumentClient()

exports.handler = async (event) => {
  const object = await s3.getObject({ Bucket: 'reports', Key: event.key }).promise()
  await documents.put({ TableName: 'reports', Item: { key: event.key } }).promise()
  return object.ContentLength
}
