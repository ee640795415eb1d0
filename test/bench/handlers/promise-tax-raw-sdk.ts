import AWSXRay from 'aws-xray-sdk-core'
import { promiseLoop } from './promise-loop'

/** The promise-heavy handler in a `## handler` subsegment of aws-xray-sdk-core used directly. */
export const handler = async () =>
  AWSXRay.captureAsyncFunc(`## ${process.env.AWS_LAMBDA_FUNCTION_NAME}`, async (subsegment) => {
    try {
      return await promiseLoop()
    } finally {
      subsegment?.close()
    }
  })
