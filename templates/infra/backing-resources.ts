import type {
  aws_ec2 as ec2,
  aws_opensearchservice as opensearch,
  aws_rds as rds,
  aws_s3 as s3,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib'

/** The existing Postgres database the functions use. */
export interface DatabaseResource {
  readonly instance: rds.IDatabaseInstance
  readonly databaseName: string
  /** Secret holding `username` and `password` as JSON (the RDS-managed secret format). */
  readonly credentials: secretsmanager.ISecret
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
  /** Security group of a VPC domain; when absent, HTTPS egress goes to any address. */
  readonly securityGroup?: ec2.ISecurityGroup
}

/**
 * Everything the functions call that this app does not own: created elsewhere, imported here,
 * never replaced or deleted by this stack.
 */
export interface BackingResources {
  readonly vpc: ec2.IVpc
  /** Subnets the functions run in. @default the VPC's private subnets */
  readonly vpcSubnets?: ec2.SubnetSelection
  readonly database: DatabaseResource
  readonly redis: RedisResource
  readonly bucket: s3.IBucket
  readonly search: SearchResource
}
