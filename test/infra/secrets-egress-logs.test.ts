import { beforeAll, describe, expect, it } from 'vitest'
import { SERVICES } from '../../generated/lego-api/infra'
import { DEMO_EXISTING_RESOURCES } from '../../generated/lego-api/infra/demo-app'
import { resourcesOf, type Synthesized, synthDemo } from './support/synth'

/*
 * What the stack must never hold or open: a secret in a function's environment or anywhere in
 * the template, egress to any address, a log group kept forever. Synthesized without bundling:
 * only configuration is read here.
 */

let synth: Synthesized
let text: string
beforeAll(() => {
  synth = synthDemo('prod', { bundle: false })
  text = JSON.stringify(synth.template.toJSON())
})

describe('no secret in the functions or the template', () => {
  it('gives no function a password, a secret reference or a key in its environment', () => {
    for (const fn of Object.values(resourcesOf(synth.template, 'AWS::Lambda::Function'))) {
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>
      for (const [name, value] of Object.entries(variables)) {
        expect(name).not.toMatch(/PASSWORD|SECRET|TOKEN|CREDENTIAL|_KEY$/i)
        expect(JSON.stringify(value)).not.toMatch(/resolve:secretsmanager|resolve:ssm-secure/)
      }
    }
  })

  it('holds no dynamic reference to a secret anywhere', () => {
    expect(text).not.toMatch(
      /resolve:secretsmanager|resolve:ssm-secure|secretsmanager:GetSecretValue/,
    )
  })

  it('lets each Postgres function connect with IAM authentication as the database user, and nothing else', () => {
    const { resourceId, iamUser } = DEMO_EXISTING_RESOURCES.database
    const statements = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy')).flatMap(
      (policy) =>
        policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    )
    const connects = statements.filter((s) => [s.Action].flat().includes('rds-db:connect'))
    expect(connects).toHaveLength(
      SERVICES.filter((s) => s.dependencies.includes('postgres')).length,
    )
    for (const statement of connects) {
      expect(JSON.stringify(statement.Resource)).toContain(`:dbuser:${resourceId}/${iamUser}`)
    }
  })
})

describe('egress names its destinations', () => {
  /** Egress rules, inline in the groups or as resources of their own. */
  const egressRules = () => [
    ...Object.values(resourcesOf(synth.template, 'AWS::EC2::SecurityGroup')).flatMap(
      (group) => (group.Properties.SecurityGroupEgress ?? []) as Record<string, unknown>[],
    ),
    ...Object.values(resourcesOf(synth.template, 'AWS::EC2::SecurityGroupEgress')).map(
      (rule) => rule.Properties,
    ),
  ]

  it('has no rule to 0.0.0.0/0 or ::/0: every egress names a security group or a prefix list', () => {
    expect(text).not.toContain('0.0.0.0/0')
    expect(text).not.toContain('::/0')
    const rules = egressRules()
    expect(rules.length).toBeGreaterThan(0)
    for (const rule of rules) {
      expect(rule.CidrIp ?? rule.CidrIpv6).toBeUndefined()
      expect(rule.DestinationSecurityGroupId ?? rule.DestinationPrefixListId).toBeDefined()
    }
  })

  it('reaches S3 over HTTPS through the gateway endpoint prefix list', () => {
    const { prefixListId } = DEMO_EXISTING_RESOURCES.vpc.s3GatewayEndpoint
    const toS3 = egressRules().filter((rule) => rule.DestinationPrefixListId === prefixListId)
    expect(toS3).toHaveLength(SERVICES.filter((s) => s.dependencies.includes('s3')).length)
    for (const rule of toS3) {
      expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })
    }
  })
})

describe('every log group the stack causes is kept 30 days', () => {
  it('gives each log group of the template a 30-day retention', () => {
    const groups = Object.values(resourcesOf(synth.template, 'AWS::Logs::LogGroup'))
    // One per function, the access logs, and API Gateway's execution logs.
    expect(groups).toHaveLength(SERVICES.length + 2)
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30)
  })

  it("creates API Gateway's execution log group before the stage, so API Gateway does not create it unkept", () => {
    const groups = resourcesOf(synth.template, 'AWS::Logs::LogGroup')
    const [id, execution] = Object.entries(groups).find(([, group]) =>
      JSON.stringify(group.Properties.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'),
    )!
    expect(JSON.stringify(execution.Properties.LogGroupName)).toMatch(/\/prod"?\]?\]?\}?$/)
    const stages = Object.values(
      synth.template.findResources('AWS::ApiGateway::Stage') as Record<
        string,
        { DependsOn?: string[] }
      >,
    )
    expect(stages).toHaveLength(1)
    expect(stages[0]!.DependsOn).toContain(id)
  })
})
