import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm'
import { traced, withTracing } from './lib/tracing'
import { captureAWSv3Client } from './lib/tracing/aws-client'

const ssm = captureAWSv3Client(new SSMClient({}))
// Runs once at start-up, outside any request: not a request's subsegment.
const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/shop/flag' }))

export const handler = withTracing({ service: 'top-level-await' }, async (event) => {
  const fresh = await traced('SSM - Get Parameter', { annotations: { operation: 'GetParameter' } }, () => ssm.send(new GetParameterCommand({ Name: event.name })))
  return { flag: Parameter?.Value, fresh: fresh.Parameter?.Value }
})
