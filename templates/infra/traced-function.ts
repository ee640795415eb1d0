import {
  Duration,
  Validations,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  aws_logs as logs,
} from 'aws-cdk-lib'
import { Construct } from 'constructs'
import type { BackingResources } from './backing-resources'
import { nodejsBundlingOptions } from './bundling'
import { nagResourceText } from './nag-findings'
import type { ServiceDefinition } from './service-definition'

/** Props of {@link TracedFunction}. */
export interface TracedFunctionProps {
  /** The service this function runs: its id, dependencies, S3 prefix and search indices. */
  readonly service: ServiceDefinition
  /** Path of the handler module (`src/functions/<id>.ts`), bundled with esbuild. */
  readonly entry: string
  /** The existing resources the dependencies resolve to. */
  readonly backing: BackingResources
  /** @default 512 */
  readonly memorySize?: number
  /** Below API Gateway's 29 s integration timeout, so a slow call ends as the function's error. @default 15 seconds */
  readonly timeout?: Duration
  /** Level below which application log lines are dropped by Lambda. @default INFO */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel
}

const HTTPS = ec2.Port.tcp(443)

/**
 * A Lambda function of one service with X-Ray tracing Active on `nodejs24.x`, bundled from the
 * shared definition, logging JSON to its own log group kept one month, and allowed to reach
 * exactly the dependencies its service lists: its role, its security group and its
 * environment are derived from that list and nothing else.
 *
 * @example
 * ```ts
 * new TracedFunction(this, 'Gallery', { service, entry: 'src/functions/gallery.ts', backing })
 * ```
 */
export class TracedFunction extends Construct {
  readonly function: nodejs.NodejsFunction
  readonly logGroup: logs.LogGroup
  readonly role: iam.Role
  readonly securityGroup: ec2.SecurityGroup
  /** Resources with a wildcard in this function's policy; each is acknowledged for cdk-nag. */
  private readonly wildcardResources: string[] = ['*']

  constructor(scope: Construct, id: string, props: TracedFunctionProps) {
    super(scope, id)
    const { service, backing } = props
    checkService(service)

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH })
    // An explicit role instead of the default one: the default attaches the AWS-managed
    // execution policies, which allow writing to every log group of the account.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${service.title} function of the traced API`,
    })
    this.logGroup.grantWrite(this.role)
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'VpcNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    )
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: backing.vpc,
      description: `${service.title} function: egress to its dependencies only`,
      allowAllOutbound: false,
    })

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(15),
      tracing: lambda.Tracing.ACTIVE,
      bundling: nodejsBundlingOptions(),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: props.applicationLogLevel ?? lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      vpc: backing.vpc,
      vpcSubnets: backing.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      description: `${service.title} (X-Ray tracing active)`,
      environment: {
        POWERTOOLS_SERVICE_NAME: service.id,
        // A missing segment (code run outside a handler) is logged, never thrown.
        AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
        // Query text only: Drizzle sends parameters separately and they are never recorded.
        AWS_XRAY_COLLECT_SQL_QUERIES: 'true',
        // Error stacks in the logs and on the trace point at the TypeScript sources.
        NODE_OPTIONS: '--enable-source-maps',
      },
    })

    for (const dependency of service.dependencies) {
      if (dependency === 'postgres') this.allowPostgres(backing)
      if (dependency === 'redis') this.allowRedis(backing)
      if (dependency === 's3') this.allowS3(backing, scopedS3Prefix(service))
      if (dependency === 'opensearch') this.allowSearch(backing, service.searchIndices ?? [])
    }
    this.acknowledgeUnavoidableWildcards(this.wildcardResources)
  }

  private allowPostgres(backing: BackingResources): void {
    const { instance, databaseName, iamUser } = backing.database
    // Adds the egress rule on the function's group and the ingress rule on the database's.
    instance.connections.allowDefaultPortFrom(this.function, `${this.node.path} (Postgres)`)
    this.function.addEnvironment('POSTGRES_HOST', instance.dbInstanceEndpointAddress)
    this.function.addEnvironment('POSTGRES_PORT', instance.dbInstanceEndpointPort)
    this.function.addEnvironment('POSTGRES_DB', databaseName)
    // IAM database authentication: the client signs a 15-minute token with the function's role
    // for each new connection (db/client.ts). No password exists in the environment, the
    // template or the function's configuration, and nothing goes stale when credentials rotate.
    this.function.addEnvironment('POSTGRES_USER', iamUser)
    this.function.addEnvironment('POSTGRES_AUTH', 'iam')
    // IAM authentication requires TLS; the runtime's bundle of Amazon RDS certificates verifies it.
    this.function.addEnvironment('POSTGRES_SSL', 'require')
    this.function.addEnvironment('NODE_EXTRA_CA_CERTS', '/var/runtime/ca-cert.pem')
    instance.grantConnect(this.role, iamUser)
  }

  private allowRedis(backing: BackingResources): void {
    const { url, port, securityGroup } = backing.redis
    this.function.connections.allowTo(securityGroup, ec2.Port.tcp(port), 'Redis')
    this.function.addEnvironment('REDIS_URL', url)
  }

  private allowS3(backing: BackingResources, prefix: string): void {
    const { bucket, s3Endpoint } = backing
    const objects = bucket.arnForObjects(`${prefix}*`)
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ObjectsUnderServicePrefix',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [objects],
      }),
    )
    this.wildcardResources.push(objects)
    // S3 has no security group: its gateway endpoint's prefix list names its addresses.
    this.function.connections.allowTo(
      s3Endpoint.prefixList,
      HTTPS,
      `S3 through gateway endpoint ${s3Endpoint.endpoint.vpcEndpointId} (HTTPS)`,
    )
    this.function.addEnvironment('S3_BUCKET', bucket.bucketName)
  }

  private allowSearch(backing: BackingResources, indices: readonly string[]): void {
    const { domain, securityGroup } = backing.search
    const documents = (index: string) => `${domain.domainArn}/${index}/*`
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ServiceSearchIndices',
        actions: [
          'es:ESHttpGet',
          'es:ESHttpHead',
          'es:ESHttpPost',
          'es:ESHttpPut',
          'es:ESHttpDelete',
        ],
        resources: indices.flatMap((index) => [`${domain.domainArn}/${index}`, documents(index)]),
      }),
    )
    this.wildcardResources.push(...indices.map(documents))
    this.function.connections.allowTo(securityGroup, HTTPS, 'OpenSearch (HTTPS)')
    this.function.addEnvironment('OPENSEARCH_ENDPOINT', domain.domainEndpoint)
  }

  /**
   * The wildcards IAM cannot do without, acknowledged one by one for cdk-nag, so that any other
   * wildcard added later is still reported.
   */
  private acknowledgeUnavoidableWildcards(resources: readonly string[]): void {
    const reasons: Record<string, string> = {
      '*': 'X-Ray PutTraceSegments/PutTelemetryRecords and the VPC network-interface actions support no resource-level permissions.',
    }
    for (const resource of resources) {
      const text = resource === '*' ? '*' : nagResourceText(this, resource)
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${text}]`,
        reason:
          reasons[resource] ??
          'Scoped to the service: the objects under its S3 key prefix, or the documents of its own OpenSearch index; the trailing wildcard stands for the keys or document paths inside it.',
      })
    }
  }
}

/** The service's S3 key prefix; never empty, so no grant can reach the whole bucket (`bucket/*`). */
function scopedS3Prefix(service: ServiceDefinition): string {
  if (!service.s3Prefix) {
    throw new Error(`Service ${service.id} uses S3 but declares no s3Prefix to scope its access to`)
  }
  return service.s3Prefix
}

function checkService(service: ServiceDefinition): void {
  if (service.dependencies.includes('s3') && !service.s3Prefix) {
    throw new Error(`Service ${service.id} uses S3 but declares no s3Prefix to scope its access to`)
  }
  if (service.dependencies.includes('opensearch') && !service.searchIndices?.length) {
    throw new Error(`Service ${service.id} uses OpenSearch but declares no searchIndices`)
  }
  if (service.s3Prefix !== undefined && !/^[a-z0-9][a-z0-9/_-]*\/$/.test(service.s3Prefix)) {
    throw new Error(`Service ${service.id}: s3Prefix must be a key prefix ending in "/"`)
  }
}
