import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { traced, withTracing } from './lib/tracing'
import { captureAWSv3Client } from './lib/tracing/aws-client'

const ddb = DynamoDBDocumentClient.from(captureAWSv3Client(new DynamoDBClient({})))
const TABLE = process.env.TABLE_NAME

export const handler = withTracing({ service: 'aws-v3-dynamodb' }, async (event: { id: string }) => {
  const { Item } = await traced('DynamoDB - Get', { annotations: { operation: 'Get', table: TABLE } }, () => ddb.send(new GetCommand({ TableName: TABLE, Key: { id: event.id } })))
  await traced('DynamoDB - Put', { annotations: { operation: 'Put', table: 'visits' } }, () => ddb.send(new PutCommand({ TableName: 'visits', Item: { id: event.id, at: Date.now() } })))
  return Item
})
