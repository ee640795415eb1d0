import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import * as sns from '@aws-sdk/client-sns'
import { traced, withTracing } from './lib/tracing'
import { captureAWSv3Client } from './lib/tracing/aws-client'

const sqs = captureAWSv3Client(new SQSClient({}))
const topics = captureAWSv3Client(new sns.SNSClient({}))

export const handler = withTracing({ service: 'aws-v3-any-service' }, async (event: { orderId: string }) => {
  await traced('SQS - Send Message', { annotations: { operation: 'SendMessage', queue: process.env.QUEUE_URL } }, () => sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: event.orderId })))
  await traced('SNS - Publish', { annotations: { operation: 'Publish', topic: process.env.TOPIC_ARN } }, () => topics.send(new sns.PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: event.orderId })))
})
