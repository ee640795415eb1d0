/**
 * aws-xray-sdk-core without what Lambda never uses. The package's root module loads every
 * patcher (AWS SDK v2, HTTP, promises), every plugin (EC2, ECS, Elastic Beanstalk) and the
 * middleware helpers at start-up; the runtime uses eight names from five of its modules (its
 * Postgres and AWS SDK captures are its own: tracing/aws-client.ts, db/capture-postgres.ts). The
 * bundler resolves the bare specifier `aws-xray-sdk-core` to this module (an esbuild `alias`, see
 * infra/bundling.ts), so a cold start loads only those. Its imports name the SDK's `dist/lib`
 * modules, which a second alias points back at the package.
 *
 * It has the shape of the root module for every name the runtime reads (the context functions
 * call each other through `this`), and does what the root does at load in Lambda: the Lambda
 * set-up (facade segment), through lambda-facade.ts, which leaves out the centralized sampler the
 * SDK's own Lambda module loads only to switch it off. Segment-level SDK and service data are not
 * set: in Lambda the only segment is the facade, which is never sent.
 * Nothing imports this module directly; type-checking sees the real package.
 */
import contextUtils from 'aws-xray-sdk-core/dist/lib/context_utils'
import logging from 'aws-xray-sdk-core/dist/lib/logger'
import Segment from 'aws-xray-sdk-core/dist/lib/segments/segment'
import Subsegment from 'aws-xray-sdk-core/dist/lib/segments/attributes/subsegment'
import SegmentUtils from 'aws-xray-sdk-core/dist/lib/segments/segment_utils'
import { initLambdaFacade } from './lambda-facade'

export const setLogger = logging.setLogger
export const getNamespace = contextUtils.getNamespace
export const getSegment = contextUtils.getSegment
export const setSegment = contextUtils.setSegment
export const setContextMissingStrategy = contextUtils.setContextMissingStrategy
export { Segment, Subsegment, SegmentUtils }

/** The default export, for `import AWSXRay from 'aws-xray-sdk-core'`. */
const AWSXRay = {
  setLogger,
  getNamespace,
  getSegment,
  setSegment,
  setContextMissingStrategy,
  Segment,
  Subsegment,
  SegmentUtils,
}
export default AWSXRay

if (process.env.LAMBDA_TASK_ROOT) initLambdaFacade()
