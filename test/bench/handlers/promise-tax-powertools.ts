import { Tracer } from '@aws-lambda-powertools/tracer'
import { promiseLoop } from './promise-loop'

const tracer = new Tracer({ serviceName: 'bench' })

/** The promise-heavy handler under Powertools Tracer's manual handler instrumentation. */
export const handler = async () => {
  const segment = tracer.getSegment()
  const subsegment = segment?.addNewSubsegment(`## ${process.env.AWS_LAMBDA_FUNCTION_NAME}`)
  if (subsegment) tracer.setSegment(subsegment)
  tracer.annotateColdStart()
  tracer.addServiceNameAnnotation()
  try {
    return await promiseLoop()
  } finally {
    if (segment && subsegment) {
      subsegment.close()
      tracer.setSegment(segment)
    }
  }
}
