const { S3Client } = require('@aws-sdk/client-s3')
const Redis = require('ioredis')

const s3 = new S3Client({})
const redis = new Redis(process.env.REDIS_URL)

module.exports = { s3, redis }
