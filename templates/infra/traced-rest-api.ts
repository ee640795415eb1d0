import {
  Validations,
  aws_apigateway as apigateway,
  aws_cognito as cognito,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_wafv2 as wafv2,
} from 'aws-cdk-lib'
import { Construct } from 'constructs'
import type { RouteDefinition } from './service-definition'

/** A route of the API and the function that serves it. */
export interface ApiRoute extends RouteDefinition {
  readonly handler: lambda.IFunction
}

/** Props of {@link TracedRestApi}. */
export interface TracedRestApiProps {
  /** REST API name: the first half of the API's X-Ray service name `<name>/<stage>`. */
  readonly apiName: string
  readonly stageName: string
  /** Cognito user pool whose tokens authorise every route. */
  readonly userPool: cognito.IUserPool
  readonly routes: readonly ApiRoute[]
  /** Steady-state requests per second for the stage. @default 100 */
  readonly throttlingRateLimit?: number
  /** @default 200 */
  readonly throttlingBurstLimit?: number
  /**
   * Create the account-level role that lets API Gateway write execution and access logs. Needed
   * once per account and region; leave `false` where another stack already set it.
   *
   * @default true
   */
  readonly cloudWatchRole?: boolean
  /** ARN of an existing WAFv2 web ACL (REGIONAL scope) to associate with the stage. */
  readonly webAclArn?: string
}

/**
 * Fields of each access log line; `xrayTraceId` joins a request to its trace. Written as JSON
 * so Logs Insights discovers the fields.
 */
const ACCESS_LOG_FORMAT = apigateway.AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    xrayTraceId: '$context.xrayTraceId',
    requestTime: '$context.requestTime',
    httpMethod: '$context.httpMethod',
    resourcePath: '$context.resourcePath',
    status: '$context.status',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integration.error',
    sourceIp: '$context.identity.sourceIp',
  }),
)

/**
 * The API Gateway REST API in front of the functions, with X-Ray tracing on its stage. A REST
 * stage (not an HTTP API, which X-Ray does not trace) is the front door because it makes the
 * sampling decision that every function behind it follows, and it draws the API on the map.
 *
 * @example
 * ```ts
 * new TracedRestApi(this, 'Api', { apiName: 'lego-api', stageName: 'prod', userPool, routes })
 * ```
 */
export class TracedRestApi extends Construct {
  readonly api: apigateway.RestApi
  readonly stage: apigateway.Stage
  readonly accessLogGroup: logs.LogGroup
  /** The execution log group API Gateway writes to, created here so that it is kept 30 days. */
  readonly executionLogGroup: logs.LogGroup
  readonly authorizer: apigateway.CognitoUserPoolsAuthorizer

  constructor(scope: Construct, id: string, props: TracedRestApiProps) {
    super(scope, id)
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
    })
    this.api = new apigateway.RestApi(this, 'RestApi', {
      restApiName: props.apiName,
      description: `${props.apiName} (X-Ray tracing on the stage)`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: props.cloudWatchRole ?? true,
      deployOptions: {
        stageName: props.stageName,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        // Request and response bodies are never logged.
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttlingRateLimit ?? 100,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 200,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: ACCESS_LOG_FORMAT,
      },
    })
    this.stage = this.api.deploymentStage
    // API Gateway writes execution logs to `API-Gateway-Execution-Logs_<api id>/<stage>` and
    // creates that group itself, outside the stack and kept forever, unless it exists first.
    this.executionLogGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${props.stageName}`,
      retention: logs.RetentionDays.ONE_MONTH,
    })
    this.stage.node.addDependency(this.executionLogGroup)
    this.authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
    })
    for (const route of props.routes) {
      this.api.root
        .resourceForPath(route.path)
        .addMethod(
          route.method,
          new apigateway.LambdaIntegration(route.handler, { allowTestInvoke: false }),
          {
            authorizer: this.authorizer,
            authorizationType: apigateway.AuthorizationType.COGNITO,
          },
        )
    }
    if (props.webAclArn) {
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: this.stage.stageArn,
        webAclArn: props.webAclArn,
      })
    }
    this.acknowledgeNagFindings(props)
  }

  /** Findings of cdk-nag that do not apply here, each with its reason. */
  private acknowledgeNagFindings(props: TracedRestApiProps): void {
    const findings = Validations.of(this.api)
    findings.acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Each handler validates its own request body and path parameters and answers 400; the manifest declares no request models for API Gateway to check against.',
    })
    if (!props.webAclArn) {
      findings.acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'No web ACL ARN was given: WAF rules belong to the account; pass webAclArn to associate an existing ACL with the stage.',
      })
    }
    findings.acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level API Gateway logging role uses AmazonAPIGatewayPushToCloudWatchLogs, the policy AWS documents for that role; it serves every API of the account and region.',
    })
  }
}
