import {
  aws_cognito as cognito,
  aws_ec2 as ec2,
  aws_opensearchservice as opensearch,
  aws_rds as rds,
  aws_s3 as s3,
} from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import type { BackingResources } from './backing-resources'

/**
 * Identifiers of the resources that already exist in the account. Plain data, so a stage's
 * values can live in cdk.json context or a config file; importing them needs no AWS lookup,
 * so `cdk synth` runs offline.
 */
export interface ExistingResourceAttributes {
  readonly vpc: {
    readonly vpcId: string
    readonly availabilityZones: readonly string[]
    /** Private subnets with a route to the AWS APIs (NAT gateway or VPC endpoints). */
    readonly privateSubnetIds: readonly string[]
    /**
     * The VPC's S3 gateway endpoint (`vpce-...`) and the AWS-managed prefix list of S3 in the
     * region (`pl-...`, named `com.amazonaws.<region>.s3`): the functions' HTTPS egress to S3
     * names that prefix list, and their S3 permissions hold only through that endpoint.
     */
    readonly s3GatewayEndpoint: {
      readonly endpointId: string
      readonly prefixListId: string
    }
  }
  readonly database: {
    readonly instanceIdentifier: string
    readonly endpointAddress: string
    readonly port: number
    readonly securityGroupId: string
    readonly databaseName: string
    /**
     * The instance's resource id (`DbiResourceId`, `db-...`), which IAM database authentication
     * names in its `rds-db:connect` permission.
     */
    readonly resourceId: string
    /** The database user the functions connect as, granted the `rds_iam` role. */
    readonly iamUser: string
  }
  readonly redis: {
    readonly endpointAddress: string
    readonly port: number
    readonly securityGroupId: string
  }
  readonly bucketName: string
  readonly searchDomain: {
    readonly domainArn: string
    /** Domain endpoint with its scheme: `https://vpc-...es.amazonaws.com`. */
    readonly domainEndpoint: string
    /** Security group of the VPC domain: the functions' HTTPS egress goes to it and nowhere else. */
    readonly securityGroupId: string
  }
  readonly userPoolArn: string
}

/** What {@link importExistingResources} returns. */
export interface ImportedResources {
  readonly backing: BackingResources
  readonly userPool: cognito.IUserPool
}

/**
 * Imports the existing resources into `scope` with the `fromXxx` attribute methods: references
 * only, nothing is created, modified beyond the security-group rules the functions need, or
 * deleted.
 *
 * @example
 * ```ts
 * const { backing, userPool } = importExistingResources(this, props.existing)
 * ```
 */
export function importExistingResources(
  scope: Construct,
  attributes: ExistingResourceAttributes,
): ImportedResources {
  const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
    vpcId: attributes.vpc.vpcId,
    availabilityZones: [...attributes.vpc.availabilityZones],
    privateSubnetIds: [...attributes.vpc.privateSubnetIds],
  })
  const database = rds.DatabaseInstance.fromDatabaseInstanceAttributes(scope, 'Database', {
    instanceIdentifier: attributes.database.instanceIdentifier,
    instanceEndpointAddress: attributes.database.endpointAddress,
    port: attributes.database.port,
    instanceResourceId: attributes.database.resourceId,
    securityGroups: [
      ec2.SecurityGroup.fromSecurityGroupId(
        scope,
        'DatabaseSecurityGroup',
        attributes.database.securityGroupId,
      ),
    ],
  })
  const redisSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(
    scope,
    'RedisSecurityGroup',
    attributes.redis.securityGroupId,
  )
  const bucket = s3.Bucket.fromBucketName(scope, 'Bucket', attributes.bucketName)
  const domain = opensearch.Domain.fromDomainAttributes(scope, 'SearchDomain', {
    domainArn: attributes.searchDomain.domainArn,
    domainEndpoint: attributes.searchDomain.domainEndpoint,
  })
  const userPool = cognito.UserPool.fromUserPoolArn(scope, 'UserPool', attributes.userPoolArn)
  return {
    userPool,
    backing: {
      vpc,
      s3Endpoint: {
        endpoint: ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(
          scope,
          'S3GatewayEndpoint',
          attributes.vpc.s3GatewayEndpoint.endpointId,
        ),
        prefixList: ec2.Peer.prefixList(attributes.vpc.s3GatewayEndpoint.prefixListId),
      },
      database: {
        instance: database,
        databaseName: attributes.database.databaseName,
        iamUser: attributes.database.iamUser,
      },
      redis: {
        // ElastiCache with in-transit encryption speaks TLS: rediss://.
        url: `rediss://${attributes.redis.endpointAddress}:${attributes.redis.port}`,
        port: attributes.redis.port,
        securityGroup: redisSecurityGroup,
      },
      bucket,
      search: {
        domain,
        securityGroup: ec2.SecurityGroup.fromSecurityGroupId(
          scope,
          'SearchSecurityGroup',
          attributes.searchDomain.securityGroupId,
        ),
      },
    },
  }
}
