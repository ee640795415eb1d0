import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import * as sns from '@aws-sdk/client-sns'

const sqs = new SQSClient({})
const topics = new sns.SNSClient({})

export const handler = async (event: { orderId: string }) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: event.orderId }))
  await topics.send(new sns.PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: event.orderId }))
}
