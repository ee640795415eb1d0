/**
 * aws-xray-sdk-core ships no typings for its Lambda set-up module, which slim-sdk.ts runs as the
 * package's root module does in Lambda.
 */
declare module 'aws-xray-sdk-core/dist/lib/env/aws_lambda' {
  /** Builds the facade segment, enters its context and turns centralized sampling off. */
  export function init(): void
}
