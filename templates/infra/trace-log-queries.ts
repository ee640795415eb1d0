import { aws_logs as logs } from 'aws-cdk-lib'
import { Construct } from 'constructs'

/** Props of {@link TraceLogQueries}. */
export interface TraceLogQueriesProps {
  /** Folder of the saved queries in the Logs Insights console: `lego-api/prod`. */
  readonly folder: string
  readonly logGroups: readonly logs.ILogGroup[]
}

/**
 * Logs Insights query listing error lines with the trace id that opens the trace in X-Ray.
 * Field names are those of the runtime's JSON logger.
 */
export const ERRORS_WITH_TRACE_IDS_QUERY = [
  'fields @timestamp, service, xray_trace_id, message, error.name, error.message, function_request_id',
  'filter level = "ERROR"',
  'sort @timestamp desc',
  'limit 100',
].join('\n| ')

/** Logs Insights query with every log line of one trace, in order, across all the functions. */
export const LOGS_OF_ONE_TRACE_QUERY = [
  'fields @timestamp, service, level, message, function_request_id, @log',
  'filter xray_trace_id = "{{traceId}}"',
  'sort @timestamp asc',
  'limit 1000',
].join('\n| ')

/**
 * Saved CloudWatch Logs Insights queries over the functions' log groups that join logs and
 * traces: "errors with trace ids" and "all logs of one trace" (parameter `traceId`).
 *
 * @example
 * ```ts
 * new TraceLogQueries(this, 'Queries', { folder: 'lego-api/prod', logGroups })
 * ```
 */
export class TraceLogQueries extends Construct {
  constructor(scope: Construct, id: string, props: TraceLogQueriesProps) {
    super(scope, id)
    const logGroupNames = props.logGroups.map((group) => group.logGroupName)
    new logs.CfnQueryDefinition(this, 'ErrorsWithTraceIds', {
      name: `${props.folder}/errors-with-trace-ids`,
      queryString: ERRORS_WITH_TRACE_IDS_QUERY,
      logGroupNames,
    })
    new logs.CfnQueryDefinition(this, 'LogsOfOneTrace', {
      name: `${props.folder}/logs-of-one-trace`,
      queryString: LOGS_OF_ONE_TRACE_QUERY,
      logGroupNames,
      parameters: [
        {
          name: 'traceId',
          description: 'X-Ray trace id: 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx',
        },
      ],
    })
  }
}
