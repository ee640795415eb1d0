import { CfnElement, Stack, aws_lambda as lambda } from 'aws-cdk-lib'
import { Match } from 'aws-cdk-lib/assertions'
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag'
import prettier from 'prettier'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TracedApiStack } from '../../generated/lego-api/infra'
import { APP_NAME, SERVICES } from '../../generated/lego-api/infra'
import { DOCUMENTED_METRICS } from './dashboard-metrics'
import { resourcesOf, type Synthesized, synthDemo } from './support/synth'

// One real synth (functions bundled with esbuild) shared by every test of this file.
let synth: Synthesized
let stack: TracedApiStack
beforeAll(() => {
  synth = synthDemo('prod', { bundle: true })
  stack = synth.stack as TracedApiStack
})

const logicalId = (element: unknown) => Stack.of(stack).getLogicalId(element as CfnElement)

function functionOf(serviceId: string) {
  const traced = stack.functions.get(serviceId)!
  return { traced, id: logicalId(traced.function.node.defaultChild) }
}

/** The policy statements attached to a function's role. */
function statementsOf(serviceId: string): { Action: string | string[]; Resource: unknown }[] {
  const roleId = logicalId(functionOf(serviceId).traced.role.node.defaultChild)
  const policies = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as unknown[]).some(
      (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }),
    ),
  )
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement)
}

const actionsOf = (serviceId: string) =>
  statementsOf(serviceId).flatMap((statement) => [statement.Action].flat())

describe('functions', () => {
  it('has one function per service, each with Active tracing on nodejs24.x', () => {
    const functions = Object.values(resourcesOf(synth.template, 'AWS::Lambda::Function'))
    expect(functions).toHaveLength(SERVICES.length)
    for (const fn of functions) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' })
      expect(fn.Properties.Runtime).toBe('nodejs24.x')
      expect(fn.Properties.Handler).toBe('index.handler')
      expect(fn.Properties.LoggingConfig.LogFormat).toBe('JSON')
    }
  })

  it('bundles every handler as an ESM asset', () => {
    for (const service of SERVICES) {
      const { id } = functionOf(service.id)
      const code = resourcesOf(synth.template, 'AWS::Lambda::Function')[id].Properties.Code
      expect(code.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/)
    }
  })

  it('keeps every log group 30 days and gives each function its own', () => {
    const groups = resourcesOf(synth.template, 'AWS::Logs::LogGroup')
    for (const group of Object.values(groups)) expect(group.Properties.RetentionInDays).toBe(30)
    const used = SERVICES.map((service) => {
      const { traced, id } = functionOf(service.id)
      const config = resourcesOf(synth.template, 'AWS::Lambda::Function')[id].Properties
        .LoggingConfig
      expect(config.LogGroup).toEqual({ Ref: logicalId(traced.logGroup.node.defaultChild) })
      return config.LogGroup.Ref as string
    })
    expect(new Set(used).size).toBe(SERVICES.length)
  })

  it('sets the service name, the X-Ray settings and only the environment of its dependencies', () => {
    const byDependency: Record<string, string[]> = {
      postgres: [
        'POSTGRES_HOST',
        'POSTGRES_PORT',
        'POSTGRES_DB',
        'POSTGRES_USER',
        'POSTGRES_AUTH',
        'POSTGRES_SSL',
        'NODE_EXTRA_CA_CERTS',
      ],
      redis: ['REDIS_URL'],
      s3: ['S3_BUCKET'],
      opensearch: ['OPENSEARCH_ENDPOINT'],
    }
    for (const service of SERVICES) {
      const { id } = functionOf(service.id)
      const env = resourcesOf(synth.template, 'AWS::Lambda::Function')[id].Properties.Environment
        .Variables
      expect(env.POWERTOOLS_SERVICE_NAME).toBe(service.id)
      expect(env.AWS_XRAY_CONTEXT_MISSING).toBe('LOG_ERROR')
      for (const [dependency, names] of Object.entries(byDependency)) {
        for (const name of names) {
          expect(name in env, `${service.id} ${name}`).toBe(
            service.dependencies.includes(dependency as never),
          )
        }
      }
      // IAM database authentication: no password at all, not even as a dynamic reference.
      expect(env).not.toHaveProperty('POSTGRES_PASSWORD')
      if (service.dependencies.includes('postgres')) expect(env.POSTGRES_AUTH).toBe('iam')
    }
  })
})

describe('IAM and network: least privilege from the manifest', () => {
  it('lets every function write to X-Ray and to its own log group', () => {
    for (const service of SERVICES) {
      const actions = actionsOf(service.id)
      expect(actions).toEqual(
        expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
      )
      expect(actions).toEqual(expect.arrayContaining(['logs:CreateLogStream', 'logs:PutLogEvents']))
    }
  })

  it('grants S3 and OpenSearch only to the services that list them, scoped to their prefix and indices', () => {
    for (const service of SERVICES) {
      const statements = statementsOf(service.id)
      const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')))
      const es = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('es:')))
      expect(s3.length > 0, `${service.id} s3`).toBe(service.dependencies.includes('s3'))
      expect(es.length > 0, `${service.id} opensearch`).toBe(
        service.dependencies.includes('opensearch'),
      )
      for (const statement of s3) {
        expect(JSON.stringify(statement.Resource)).toContain(`/${service.s3Prefix}*`)
      }
      for (const statement of es) {
        const resources = [statement.Resource].flat().map(String)
        expect(resources.length).toBeGreaterThan(0)
        for (const resource of resources) {
          const index = /:domain\/[^/]+\/([^/]+)/.exec(resource)?.[1]
          expect(service.searchIndices, resource).toContain(index)
        }
      }
      const services = new Set(
        statements.flatMap((s) => [s.Action].flat()).map((action) => action.split(':')[0]),
      )
      const allowed = new Set(['xray', 'logs', 'ec2'])
      if (service.dependencies.includes('s3')) allowed.add('s3')
      if (service.dependencies.includes('opensearch')) allowed.add('es')
      if (service.dependencies.includes('postgres')) allowed.add('rds-db')
      expect([...services].filter((name) => !allowed.has(name))).toEqual([])
    }
  })

  it('opens the Postgres and Redis ports only from the functions that use them', () => {
    const ingress = Object.values(resourcesOf(synth.template, 'AWS::EC2::SecurityGroupIngress'))
    for (const service of SERVICES) {
      const groupId = logicalId(functionOf(service.id).traced.securityGroup.node.defaultChild)
      const ports = ingress
        .filter((rule) => JSON.stringify(rule.Properties.SourceSecurityGroupId).includes(groupId))
        .map((rule) => rule.Properties.FromPort)
      expect(ports.includes(5432), `${service.id} postgres`).toBe(
        service.dependencies.includes('postgres'),
      )
      expect(ports.includes(6379), `${service.id} redis`).toBe(
        service.dependencies.includes('redis'),
      )
    }
  })
})

describe('API and sampling', () => {
  it('traces the REST stage', () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
    })
    synth.template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: APP_NAME })
  })

  it('has one method per manifest route, each behind the Cognito authorizer', () => {
    const methods = Object.values(resourcesOf(synth.template, 'AWS::ApiGateway::Method'))
    const routes = SERVICES.flatMap((service) => service.routes)
    expect(methods).toHaveLength(routes.length)
    for (const method of methods) {
      expect(method.Properties.AuthorizationType).toBe('COGNITO_USER_POOLS')
      expect(method.Properties.Integration.Type).toBe('AWS_PROXY')
    }
    expect(methods.map((method) => method.Properties.HttpMethod).sort()).toEqual(
      routes.map((route) => route.method).sort(),
    )
    synth.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      ProviderARNs: [Match.stringLikeRegexp('^arn:aws:cognito-idp:')],
    })
  })

  it('samples 10 % of production requests with a reservoir of 1, on the API stage', () => {
    synth.template.hasResourceProperties('AWS::XRay::SamplingRule', {
      SamplingRule: Match.objectLike({
        FixedRate: 0.1,
        ReservoirSize: 1,
        ServiceType: 'AWS::ApiGateway::Stage',
        ServiceName: `${APP_NAME}/prod`,
        RuleName: `${APP_NAME}-prod`,
      }),
    })
  })

  it('samples every request of a non-production stage', () => {
    const staging = synthDemo('staging', { bundle: false })
    staging.template.hasResourceProperties('AWS::XRay::SamplingRule', {
      SamplingRule: Match.objectLike({
        FixedRate: 1,
        ReservoirSize: 1,
        ServiceType: 'AWS::ApiGateway::Stage',
        ServiceName: `${APP_NAME}/staging`,
      }),
    })
    staging.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'staging',
      TracingEnabled: true,
    })
  })
})

describe('observability', () => {
  it('creates an X-Ray group per service, one for faulted traces and one for client errors', () => {
    const groups = Object.values(resourcesOf(synth.template, 'AWS::XRay::Group'))
    const names = groups.map((group) => group.Properties.GroupName)
    expect(names.sort()).toEqual(
      [
        ...SERVICES.map((service) => `${APP_NAME}-prod-${service.id}`),
        `${APP_NAME}-prod-failed`,
        `${APP_NAME}-prod-client-errors`,
      ].sort(),
    )
    const failed = groups.find((group) => group.Properties.GroupName.endsWith('-failed'))!
    // Faults (5xx) only: a 401 from the authorizer is an error, not a failure of the system.
    expect(failed.Properties.FilterExpression).toBe(`service("${APP_NAME}/prod") AND fault = true`)
    const errors = groups.find((group) => group.Properties.GroupName.endsWith('-client-errors'))!
    expect(errors.Properties.FilterExpression).toBe(
      `service("${APP_NAME}/prod") AND error = true AND fault = false`,
    )
  })

  it('graphs only documented metrics, and nothing from a made-up AWS/XRay namespace', () => {
    expect(JSON.stringify(synth.template.toJSON())).not.toContain('AWS/XRay')
    const metrics = dashboardMetrics()
    expect(metrics.length).toBeGreaterThan(0)
    for (const metric of metrics) {
      const documented = DOCUMENTED_METRICS.find(
        (entry) =>
          entry.namespace === metric.namespace &&
          entry.metricName === metric.metricName &&
          [...entry.dimensions].sort().join() === [...metric.dimensions].sort().join(),
      )
      expect(documented, JSON.stringify(metric)).toBeDefined()
    }
    // Each service has its trace count, and the failed traces are graphed.
    const groupsGraphed = metrics.filter((metric) => metric.namespace === 'AWS/X-Ray')
    expect(groupsGraphed).toHaveLength(SERVICES.length + 1)
  })

  it('lists the latest errors with their trace id and links to the X-Ray console', () => {
    const body = dashboardBody()
    const log = body.widgets.find((widget: any) => widget.type === 'log')
    expect(log.properties.query).toContain('xray_trace_id')
    expect(log.properties.query).toContain('filter level = "ERROR"')
    const text = body.widgets.find((widget: any) => widget.type === 'text')
    expect(text.properties.markdown).toContain('#xray:service-map')
    expect(text.properties.markdown).toContain('#xray:traces')
  })

  it('saves the two Logs Insights queries over the four log groups', () => {
    const queries = Object.values(resourcesOf(synth.template, 'AWS::Logs::QueryDefinition'))
    expect(queries.map((query) => query.Properties.Name).sort()).toEqual([
      `${APP_NAME}/prod/errors-with-trace-ids`,
      `${APP_NAME}/prod/logs-of-one-trace`,
    ])
    for (const query of queries)
      expect(query.Properties.LogGroupNames).toHaveLength(SERVICES.length)
    const oneTrace = queries.find((query) => query.Properties.Name.endsWith('one-trace'))!
    expect(oneTrace.Properties.QueryString).toContain('xray_trace_id = "{{traceId}}"')
    expect(oneTrace.Properties.Parameters).toEqual([expect.objectContaining({ Name: 'traceId' })])
  })
})

describe('cdk-nag', () => {
  it('does report findings on an untraced function (the packs are really checking)', () => {
    const { app, stack } = synthDemo('prod', { bundle: false })
    new lambda.Function(stack, 'Plain', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'),
    })
    const report = new ServerlessChecks().validateScope(app)
    expect(report.violations.map((violation) => violation.ruleName)).toContain(
      'Serverless-LambdaTracing',
    )
  })

  it('reports nothing from AwsSolutions and Serverless on the stack', () => {
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      const report = pack.validateScope(synth.app)
      expect(
        report.violations.map(
          (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        ),
      ).toEqual([])
      expect(report.success).toBe(true)
    }
  })
})

/** The dashboard body with the CloudFormation references replaced by a placeholder. */
function dashboardBody(): any {
  const [dashboard] = Object.values(resourcesOf(synth.template, 'AWS::CloudWatch::Dashboard'))
  const body = dashboard.Properties.DashboardBody
  const text =
    typeof body === 'string'
      ? body
      : (body['Fn::Join'][1] as unknown[])
          .map((part) => (typeof part === 'string' ? part : 'REF'))
          .join('')
  return JSON.parse(text)
}

function dashboardMetrics(): { namespace: string; metricName: string; dimensions: string[] }[] {
  const metrics: { namespace: string; metricName: string; dimensions: string[] }[] = []
  for (const widget of dashboardBody().widgets) {
    for (const row of widget.properties?.metrics ?? []) {
      const values = (row as unknown[]).filter((value) => typeof value === 'string') as string[]
      const [namespace, metricName, ...pairs] = values
      metrics.push({
        namespace,
        metricName,
        dimensions: pairs.filter((_, index) => index % 2 === 0),
      })
    }
  }
  return metrics
}

describe('snapshot', () => {
  it('matches the committed template of the demo app (asset hashes normalised)', async () => {
    // Bundled code hashes change with every change to the handlers or the runtime; the
    // snapshot is about infrastructure, so they are replaced by a placeholder.
    const json = JSON.stringify(synth.template.toJSON()).replace(/[0-9a-f]{64}/g, '<asset-hash>')
    // Formatted like every other file of the repository, so prettier --check holds for it too.
    const file = new URL('./__snapshots__/lego-api-prod.template.json', import.meta.url).pathname
    const config = await prettier.resolveConfig(file)
    const text = await prettier.format(json, { ...config, filepath: file })
    await expect(text).toMatchFileSnapshot(file)
  })
})
