import type { APIGatewayProxyEvent } from 'aws-lambda'
import { withTracing } from '../../../generated/lego-api/src/lib/tracing'
import { promiseLoop } from './promise-loop'

/** The promise-heavy handler wrapped by the generated runtime's `withTracing`. */
export const handler = withTracing<APIGatewayProxyEvent, unknown>({ service: 'bench' }, () =>
  promiseLoop(),
)
