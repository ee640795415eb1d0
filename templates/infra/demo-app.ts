import type { App } from 'aws-cdk-lib'
import { TracedApiStack } from './app-stack'
import type { ExistingResourceAttributes } from './existing-resources'
import { APP_NAME, STACK_NAME } from './services'

/**
 * Placeholder identifiers in the shape of real ones, so `cdk synth` runs offline. Replace them
 * with your resources (or pass `-c existing='<json>'`) before `cdk deploy`.
 */
export const DEMO_EXISTING_RESOURCES: ExistingResourceAttributes = {
  vpc: {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    s3GatewayEndpoint: { endpointId: 'vpce-0123456789abcdef0', prefixListId: 'pl-6da54004' },
  },
  database: {
    instanceIdentifier: 'lego-db',
    endpointAddress: 'lego-db.abcdefghijkl.eu-west-1.rds.amazonaws.com',
    port: 5432,
    securityGroupId: 'sg-0123456789abcdef0',
    databaseName: 'lego',
    resourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    iamUser: 'lego_api',
  },
  redis: {
    endpointAddress: 'master.lego-cache.abcdef.euw1.cache.amazonaws.com',
    port: 6379,
    securityGroupId: 'sg-0123456789abcdef1',
  },
  bucketName: 'lego-api-assets-123456789012',
  searchDomain: {
    domainArn: 'arn:aws:es:eu-west-1:123456789012:domain/lego-search',
    domainEndpoint: 'https://vpc-lego-search-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com',
    securityGroupId: 'sg-0123456789abcdef2',
  },
  userPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI',
}

/**
 * Adds the app's stack of one stage to `app`. The stage comes from the `stage` context
 * value (`cdk synth -c stage=staging`), the existing resources from the `existing` context
 * value when it is set.
 *
 * @example
 * ```ts
 * const app = new App()
 * addDemoStack(app)
 * ```
 */
export function addDemoStack(app: App): TracedApiStack {
  const stage = String(app.node.tryGetContext('stage') ?? 'prod')
  const existing = app.node.tryGetContext('existing') as ExistingResourceAttributes | undefined
  return new TracedApiStack(app, `${STACK_NAME}-${stage}`, {
    stage,
    existing: existing ?? DEMO_EXISTING_RESOURCES,
    description: `${APP_NAME} (${stage}): traced Lambda services behind API Gateway`,
  })
}
