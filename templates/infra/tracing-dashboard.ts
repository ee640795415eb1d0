import {
  Aws,
  Duration,
  aws_apigateway as apigateway,
  aws_cloudwatch as cloudwatch,
  aws_lambda as lambda,
  aws_logs as logs,
} from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { ERRORS_WITH_TRACE_IDS_QUERY } from './trace-log-queries'

/** One service's row on the dashboard. */
export interface DashboardService {
  readonly title: string
  readonly function: lambda.IFunction
  /** Name of the service's X-Ray group. */
  readonly traceGroupName: string
}

/** Props of {@link TracingDashboard}. */
export interface TracingDashboardProps {
  readonly dashboardName: string
  readonly stage: apigateway.Stage
  readonly services: readonly DashboardService[]
  /** Name of the X-Ray group of faulted traces (5xx). */
  readonly failedTraceGroupName: string
  /** Log groups the recent-errors widget reads. */
  readonly logGroups: readonly logs.ILogGroup[]
}

const PERIOD = Duration.minutes(1)
const FULL_WIDTH = 24

/**
 * The number of traces X-Ray recorded for a group. X-Ray publishes it for every group; there is
 * no `AWS/XRay` namespace and no `TraceCount` or `ErrorCount` metric.
 *
 * @example
 * ```ts
 * approximateTraceCount('lego-api-prod-failed')
 * ```
 */
export function approximateTraceCount(groupName: string, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/X-Ray',
    metricName: 'ApproximateTraceCount',
    dimensionsMap: { GroupName: groupName },
    statistic: cloudwatch.Stats.SUM,
    period: PERIOD,
    label: label ?? groupName,
  })
}

/**
 * A CloudWatch dashboard built only from metrics AWS publishes: X-Ray group trace counts, the
 * API stage's latency and errors, each function's duration, errors, throttles and concurrency,
 * the latest errors from the logs with their trace ids, and links to the X-Ray console.
 *
 * @example
 * ```ts
 * new TracingDashboard(this, 'Dashboard', { dashboardName, stage, services, failedTraceGroupName, logGroups })
 * ```
 */
export class TracingDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard

  constructor(scope: Construct, id: string, props: TracingDashboardProps) {
    super(scope, id)
    const { stage } = props
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    })
    this.dashboard.addWidgets(consoleLinks(props.dashboardName))
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API latency (p99)',
        left: [stage.metricLatency({ statistic: cloudwatch.Stats.p(99), period: PERIOD })],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'API requests',
        left: [stage.metricCount({ statistic: cloudwatch.Stats.SUM, period: PERIOD })],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'API 4XX / 5XX',
        left: [
          stage.metricClientError({ statistic: cloudwatch.Stats.SUM, period: PERIOD }),
          stage.metricServerError({ statistic: cloudwatch.Stats.SUM, period: PERIOD }),
        ],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Failed traces (fault)',
        left: [approximateTraceCount(props.failedTraceGroupName, 'failed traces')],
        width: 6,
      }),
    )
    for (const service of props.services) {
      const fn = service.function
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `${service.title}: traces`,
          left: [approximateTraceCount(service.traceGroupName, 'traces')],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: `${service.title}: duration`,
          left: [
            fn.metricDuration({ statistic: cloudwatch.Stats.p(50), period: PERIOD, label: 'p50' }),
            fn.metricDuration({ statistic: cloudwatch.Stats.p(99), period: PERIOD, label: 'p99' }),
          ],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: `${service.title}: errors and throttles`,
          left: [
            fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: PERIOD }),
            fn.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: PERIOD }),
          ],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: `${service.title}: concurrent executions`,
          left: [
            fn.metric('ConcurrentExecutions', {
              statistic: cloudwatch.Stats.MAXIMUM,
              period: PERIOD,
            }),
          ],
          width: 6,
        }),
      )
    }
    this.dashboard.addWidgets(
      new cloudwatch.LogQueryWidget({
        title: 'Latest errors with their X-Ray trace id',
        logGroupNames: props.logGroups.map((group) => group.logGroupName),
        queryString: ERRORS_WITH_TRACE_IDS_QUERY,
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        width: FULL_WIDTH,
        height: 8,
      }),
    )
  }
}

/** Links to the X-Ray views of the CloudWatch console for the stack's region. */
function consoleLinks(dashboardName: string): cloudwatch.TextWidget {
  const console = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}`
  return new cloudwatch.TextWidget({
    markdown: [
      `# ${dashboardName}`,
      `[X-Ray trace map](${console}#xray:service-map/map) · [Trace search](${console}#xray:traces/query) · ` +
        `[Logs Insights](${console}#logsV2:logs-insights)`,
      'Trace ids in the error table open in Trace search; the saved Logs Insights query "logs-of-one-trace" lists every log line of a trace.',
    ].join('\n\n'),
    width: FULL_WIDTH,
    height: 3,
  })
}
