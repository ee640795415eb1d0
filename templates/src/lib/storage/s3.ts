import { S3Client } from '@aws-sdk/client-s3'
import { captureAWSv3Client } from '../tracing/aws-client'

/**
 * S3 through the SDK v3 client captured by aws-xray-sdk-core: each call is a subsegment `S3` in
 * the `aws` namespace with `aws.operation`, `aws.region`, `aws.request_id`, `aws.bucket_name`,
 * `aws.key` and `http.response.status` (the SDK's whitelist for S3 records bucket and key, never
 * bodies).
 *
 * Presigning (`getSignedUrl` from @aws-sdk/s3-request-presigner with this client) runs the same
 * middleware stack without sending a request. The captured subsegment then describes the
 * presign: it keeps operation, bucket and key, gets `presigned: true` metadata, and loses the
 * `http` block (there was no HTTP call). The URL itself is never recorded: the SDK only records
 * whitelisted request parameters, and the trace header the capture adds is one SigV4 never signs,
 * so the URL stays valid for the browser that uses it.
 */
export const s3 = captureAWSv3Client(
  new S3Client({
    region: process.env.AWS_REGION,
    // Bounded waits: a connection not made within S3_CONNECT_TIMEOUT_MS (default 2 s) or a
    // request unanswered within S3_REQUEST_TIMEOUT_MS (default 5 s) fails, and is tried twice in
    // all (the SDK's default is three attempts with no timeout at all).
    requestHandler: {
      connectionTimeout: milliseconds('S3_CONNECT_TIMEOUT_MS', 2_000),
      requestTimeout: milliseconds('S3_REQUEST_TIMEOUT_MS', 5_000),
      throwOnRequestTimeout: true,
    },
    maxAttempts: 2,
    // Loopback S3 servers in tests answer path-style requests only; real S3 accepts both.
    forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
  }),
)

/** Milliseconds from an environment variable, or the default when it is unset or not a number. */
function milliseconds(name: string, fallback: number): number {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

/** The bucket every object of the app lives in. */
export const BUCKET = process.env.S3_BUCKET ?? ''
