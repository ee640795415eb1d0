import { aws_lambda as lambda, aws_xray as xray } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { boundedName } from './bounded-name'

/** A service whose traces get their own X-Ray group. */
export interface TracedServiceRef {
  readonly id: string
  readonly function: lambda.IFunction
}

/** Props of {@link TraceGroups}. */
export interface TraceGroupsProps {
  /** Prefix of every group name; a name longer than 32 characters is shortened ({@link boundedName}). */
  readonly namePrefix: string
  /** The API's X-Ray service name `<api>/<stage>`, which scopes the failed-traces group. */
  readonly apiServiceName: string
  readonly services: readonly TracedServiceRef[]
  /** Turn on X-Ray Insights (anomaly detection) for the groups. @default true */
  readonly insightsEnabled?: boolean
  /** Send Insights notifications to EventBridge. @default false */
  readonly notificationsEnabled?: boolean
}

/**
 * X-Ray groups: one per service, one for the faulted traces of the API (5xx) and one for its
 * client errors (4xx). Besides filtering the
 * console, each group publishes the CloudWatch metric `ApproximateTraceCount` (namespace
 * `AWS/X-Ray`, dimension `GroupName`), which the dashboard graphs.
 *
 * @example
 * ```ts
 * new TraceGroups(this, 'Groups', { namePrefix: 'lego-api-prod', apiServiceName: 'lego-api/prod', services })
 * ```
 */
export class TraceGroups extends Construct {
  /** Service id -> group name. */
  readonly serviceGroupNames: ReadonlyMap<string, string>
  /** The group of faulted traces through the API (5xx, a failed dependency). */
  readonly failedGroupName: string
  /** The group of client errors through the API (4xx: 401 from the authorizer, 404, ...). */
  readonly clientErrorGroupName: string

  constructor(scope: Construct, id: string, props: TraceGroupsProps) {
    super(scope, id)
    const insightsConfiguration = {
      insightsEnabled: props.insightsEnabled ?? true,
      notificationsEnabled: props.notificationsEnabled ?? false,
    }
    const names = new Map<string, string>()
    for (const service of props.services) {
      const groupName = boundedName(`${props.namePrefix}-${service.id}`)
      // Lambda names the function's nodes on the service map after the function.
      new xray.CfnGroup(this, `${service.id}Group`, {
        groupName,
        filterExpression: `service("${service.function.functionName}")`,
        insightsConfiguration,
      })
      names.set(service.id, groupName)
    }
    this.serviceGroupNames = names
    // Faults only: counting errors too would fill the group (and its Insights) with every 401
    // the authorizer answers. Client errors have a group of their own.
    this.failedGroupName = boundedName(`${props.namePrefix}-failed`)
    new xray.CfnGroup(this, 'FailedGroup', {
      groupName: this.failedGroupName,
      filterExpression: `service("${props.apiServiceName}") AND fault = true`,
      insightsConfiguration,
    })
    this.clientErrorGroupName = boundedName(`${props.namePrefix}-client-errors`)
    new xray.CfnGroup(this, 'ClientErrorGroup', {
      groupName: this.clientErrorGroupName,
      filterExpression: `service("${props.apiServiceName}") AND error = true AND fault = false`,
      insightsConfiguration: { insightsEnabled: false, notificationsEnabled: false },
    })
  }
}
