/**
 * Every metric the dashboard may graph, each with the AWS page that documents its namespace,
 * name and dimensions. A metric that is not on this list fails the dashboard test: the story's
 * `AWS/XRay` `TraceCount` / `ErrorCount` do not exist, and a dashboard of made-up metrics stays
 * empty forever.
 */
export interface DocumentedMetric {
  readonly namespace: string
  readonly metricName: string
  readonly dimensions: readonly string[]
  readonly documentation: string
}

const XRAY_GROUPS = 'https://docs.aws.amazon.com/xray/latest/devguide/xray-console-groups.html'
const LAMBDA_METRICS = 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html'
const API_GATEWAY_METRICS =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html'

export const DOCUMENTED_METRICS: readonly DocumentedMetric[] = [
  // Published by X-Ray for every group (the groups page: groups "supply Amazon CloudWatch metrics").
  {
    namespace: 'AWS/X-Ray',
    metricName: 'ApproximateTraceCount',
    dimensions: ['GroupName'],
    documentation: XRAY_GROUPS,
  },
  // Invocation, performance and concurrency metrics, dimension FunctionName.
  {
    namespace: 'AWS/Lambda',
    metricName: 'Duration',
    dimensions: ['FunctionName'],
    documentation: LAMBDA_METRICS,
  },
  {
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensions: ['FunctionName'],
    documentation: LAMBDA_METRICS,
  },
  {
    namespace: 'AWS/Lambda',
    metricName: 'Throttles',
    dimensions: ['FunctionName'],
    documentation: LAMBDA_METRICS,
  },
  {
    namespace: 'AWS/Lambda',
    metricName: 'ConcurrentExecutions',
    dimensions: ['FunctionName'],
    documentation: LAMBDA_METRICS,
  },
  // REST API metrics with the ApiName + Stage dimension pair.
  ...['Latency', '4XXError', '5XXError', 'Count'].map((metricName) => ({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensions: ['ApiName', 'Stage'],
    documentation: API_GATEWAY_METRICS,
  })),
]
