import type {
  aws_ec2 as ec2,
  aws_opensearchservice as opensearch,
  aws_rds as rds,
  aws_s3 as s3,
} from 'aws-cdk-lib'

/** The existing Postgres database the functions use. */
export interface DatabaseResource {
  readonly instance: rds.IDatabaseInstance
  readonly databaseName: string
  /**
   * The database user the functions connect as with IAM database authentication (a user granted
   * `rds_iam`): no password exists to store, pass or rotate. The instance must be imported with
   * its resource id, which the `rds-db:connect` grant names.
   */
  readonly iamUser: string
}

/** The VPC's S3 gateway endpoint: egress to S3 goes to its prefix list, not to any address. */
export interface S3EndpointResource {
  readonly endpoint: ec2.IGatewayVpcEndpoint
  /** The region's S3 prefix list as a peer, for security-group egress rules. */
  readonly prefixList: ec2.IPeer
}

/** The existing Redis (ElastiCache) endpoint the functions use. */
export interface RedisResource {
  /** Connection URL handed to the client: `rediss://host:6379` for in-transit encryption. */
  readonly url: string
  readonly port: number
  readonly securityGroup: ec2.ISecurityGroup
}

/** The existing OpenSearch domain the functions use. */
export interface SearchResource {
  readonly domain: opensearch.IDomain
  /** Security group of the VPC domain: HTTPS egress goes to it only. */
  readonly securityGroup: ec2.ISecurityGroup
}

/**
 * Everything the functions call that this app does not own: created elsewhere, imported here,
 * never replaced or deleted by this stack.
 */
export interface BackingResources {
  readonly vpc: ec2.IVpc
  /** Subnets the functions run in. @default the VPC's private subnets */
  readonly vpcSubnets?: ec2.SubnetSelection
  readonly s3Endpoint: S3EndpointResource
  readonly database: DatabaseResource
  readonly redis: RedisResource
  readonly bucket: s3.IBucket
  readonly search: SearchResource
}
