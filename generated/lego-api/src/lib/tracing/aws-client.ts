import { AWSXRay, currentSegment, type SegmentLike } from './sdk'

/** The part of an AWS SDK v3 client the capture needs (kept structural: no SDK type leaks). */
interface CapturableClient {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'build'; priority: 'low'; name: string }): void
    remove(name: string): boolean
  }
}

interface BuildArgs {
  request?: { headers?: Record<string, string> }
}

interface BuildOutput {
  response?: unknown
  output?: { presigned?: unknown; $metadata?: Record<string, unknown> }
}

type BuildHandler = (args: BuildArgs) => Promise<BuildOutput>

const PRESIGN_MARKER = 'XRayPresignMarker'

/**
 * Captures an AWS SDK v3 client with aws-xray-sdk-core (one `aws` subsegment per call, named by
 * the service) and makes presigning honest. `getSignedUrl` runs the client's middleware stack
 * but answers from a presigning middleware instead of sending a request; the capture would then
 * record an HTTP 200 that never happened. A middleware below the capture recognises that answer,
 * marks the subsegment with `presigned: true` metadata and removes the fake status code. The
 * presigned URL is not recorded either way.
 *
 * @example
 * ```ts
 * export const s3 = captureAWSv3Client(new S3Client({ region: process.env.AWS_REGION }))
 * ```
 */
export function captureAWSv3Client<C extends CapturableClient>(client: C): C {
  AWSXRay.captureAWSv3Client(client as never)
  client.middlewareStack.remove(PRESIGN_MARKER)
  client.middlewareStack.add(presignMarker, {
    step: 'build',
    priority: 'low',
    name: PRESIGN_MARKER,
  })
  return client
}

function presignMarker(next: BuildHandler): BuildHandler {
  return async (args) => {
    const result = await next(args)
    if (result?.output?.presigned === undefined) return result
    const subsegment = captureSubsegment(args)
    subsegment?.addMetadata('presigned', true)
    return {
      ...result,
      output: {
        ...result.output,
        $metadata: { ...result.output.$metadata, httpStatusCode: undefined },
      },
    }
  }
}

/** The capture names its subsegment in the trace header it adds (`Parent=<subsegment id>`). */
function captureSubsegment(args: BuildArgs): SegmentLike | undefined {
  const header = args.request?.headers?.['X-Amzn-Trace-Id']
  const id = header?.match(/Parent=([0-9a-f]{16})/)?.[1]
  const parent = currentSegment()
  if (!id || !parent) return undefined
  const children = (parent as { subsegments?: SegmentLike[] }).subsegments ?? []
  return children.find((child) => child.id === id)
}
