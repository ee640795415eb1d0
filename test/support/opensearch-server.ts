// Moved to src/trace (the trace command serves OpenSearch on loopback with it).
export * from '../../src/trace/loopback-opensearch'
