import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}))
const TABLE = process.env.TABLE_NAME

export const handler = async (event: { id: string }) => {
  const { Item } = await ddb.send(new GetCommand({ TableName: TABLE, Key: { id: event.id } }))
  await ddb.send(new PutCommand({ TableName: 'visits', Item: { id: event.id, at: Date.now() } }))
  return Item
}
