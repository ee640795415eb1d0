import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm'

const ssm = new SSMClient({})
// Runs once at start-up, outside any request: not a request's subsegment.
const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/shop/flag' }))

export const handler = async (event) => {
  const fresh = await ssm.send(new GetParameterCommand({ Name: event.name }))
  return { flag: Parameter?.Value, fresh: fresh.Parameter?.Value }
}
