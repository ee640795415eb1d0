// Moved to src/trace/local-lambda (the trace command invokes functions with it).
export * from '../../src/trace/local-lambda/lambda-event'
