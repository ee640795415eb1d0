import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Aspects, Stack, type StackProps, Validations } from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import { type ExistingResourceAttributes, importExistingResources } from './existing-resources'
import { ApiStageSamplingRule, samplingRateForStage } from './sampling-rule'
import type { ServiceDefinition } from './service-definition'
import { APP_NAME, SERVICES } from './services'
import { TraceGroups } from './trace-groups'
import { TraceLogQueries } from './trace-log-queries'
import { TracedFunction } from './traced-function'
import { TracedRestApi } from './traced-rest-api'
import { TracingAspect } from './tracing-aspect'
import { TracingDashboard } from './tracing-dashboard'

/** Props of {@link TracedApiStack}. */
export interface TracedApiStackProps extends StackProps {
  /** API Gateway stage name; `prod` or `production` samples 10 % of requests, others 100 %. */
  readonly stage: string
  /** The VPC, database, Redis, bucket, search domain and user pool that already exist. */
  readonly existing: ExistingResourceAttributes
  /** @default the manifest's services */
  readonly services?: readonly ServiceDefinition[]
  /** Folder holding `<service id>.ts` handler modules. @default ../src/functions */
  readonly functionsDir?: string
  /** Sampling rule settings; the rate defaults to {@link samplingRateForStage}. */
  readonly sampling?: {
    readonly fixedRate?: number
    readonly priority?: number
    readonly ruleName?: string
  }
  /** X-Ray Insights on the trace groups. @default true */
  readonly insightsEnabled?: boolean
  /** See {@link TracedRestApiProps.cloudWatchRole}. @default true */
  readonly apiGatewayCloudWatchRole?: boolean
  /** See {@link TracedRestApiProps.webAclArn}. */
  readonly webAclArn?: string
}

const DEFAULT_FUNCTIONS_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'functions',
)

/**
 * The services of the config behind one traced REST API: a traced function per service, routes
 * with a Cognito authorizer, the stage's sampling rule, X-Ray groups, a dashboard and saved
 * log queries. The data stores are imported, never created. An Aspect fails the synth if any
 * function in the stack is not traced.
 *
 * @example
 * ```ts
 * new TracedApiStack(app, 'LegoApi-prod', { stage: 'prod', existing })
 * ```
 */
export class TracedApiStack extends Stack {
  readonly functions: ReadonlyMap<string, TracedFunction>
  readonly api: TracedRestApi

  constructor(scope: Construct, id: string, props: TracedApiStackProps) {
    super(scope, id, props)
    const services = props.services ?? SERVICES
    const functionsDir = props.functionsDir ?? DEFAULT_FUNCTIONS_DIR
    const { backing, userPool } = importExistingResources(this, props.existing)

    const functions = new Map<string, TracedFunction>()
    for (const service of services) {
      functions.set(
        service.id,
        new TracedFunction(this, service.constructName, {
          service,
          entry: path.join(functionsDir, `${service.id}.ts`),
          backing,
        }),
      )
    }
    this.functions = functions
    const fnOf = (service: ServiceDefinition) => functions.get(service.id)!

    this.api = new TracedRestApi(this, 'Api', {
      apiName: APP_NAME,
      stageName: props.stage,
      userPool,
      routes: services.flatMap((service) =>
        service.routes.map((route) => ({ ...route, handler: fnOf(service).function })),
      ),
      cloudWatchRole: props.apiGatewayCloudWatchRole,
      webAclArn: props.webAclArn,
    })

    const namePrefix = `${APP_NAME}-${props.stage}`
    new ApiStageSamplingRule(this, 'SamplingRule', {
      apiName: APP_NAME,
      stageName: props.stage,
      fixedRate: props.sampling?.fixedRate ?? samplingRateForStage(props.stage),
      priority: props.sampling?.priority,
      ruleName: props.sampling?.ruleName ?? namePrefix,
    })
    const groups = new TraceGroups(this, 'TraceGroups', {
      namePrefix,
      apiServiceName: `${APP_NAME}/${props.stage}`,
      services: services.map((service) => ({ id: service.id, function: fnOf(service).function })),
      insightsEnabled: props.insightsEnabled,
    })
    const logGroups = services.map((service) => fnOf(service).logGroup)
    new TracingDashboard(this, 'Dashboard', {
      dashboardName: `${namePrefix}-tracing`,
      stage: this.api.stage,
      services: services.map((service) => ({
        title: service.title,
        function: fnOf(service).function,
        traceGroupName: groups.serviceGroupNames.get(service.id)!,
      })),
      failedTraceGroupName: groups.failedGroupName,
      logGroups,
    })
    new TraceLogQueries(this, 'LogQueries', { folder: `${APP_NAME}/${props.stage}`, logGroups })

    Aspects.of(this).add(new TracingAspect({ enforce: true }))
    Validations.of(this).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'API Gateway invokes the functions synchronously and returns their errors to the caller; a dead-letter queue only receives failed asynchronous invocations.',
      },
      {
        id: 'Serverless-LambdaAsyncFailureDestination',
        reason:
          'API Gateway invokes the functions synchronously; failure destinations apply to asynchronous invocations only.',
      },
    )
  }
}
