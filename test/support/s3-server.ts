// Moved to src/trace (the trace command serves S3 on loopback with it).
export * from '../../src/trace/loopback-s3'
