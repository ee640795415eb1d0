import { aws_xray as xray } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { boundedName } from './bounded-name'

/** Props of {@link ApiStageSamplingRule}. */
export interface ApiStageSamplingRuleProps {
  /** REST API name, as in the API's X-Ray service name `<apiName>/<stageName>`. */
  readonly apiName: string
  readonly stageName: string
  /** Fraction of requests traced beyond the reservoir, 0 to 1: see {@link samplingRateForStage}. */
  readonly fixedRate: number
  /** Requests traced per second before the fixed rate applies. @default 1 */
  readonly reservoirSize?: number
  /** Rules are evaluated in ascending priority (1 to 9999). @default 1000 */
  readonly priority?: number
  /** Unique in the account and region; shortened to 32 characters ({@link boundedName}). @default `<apiName>-<stageName>` */
  readonly ruleName?: string
}

/** Stage names that count as production. */
const PRODUCTION_STAGES = new Set(['prod', 'production'])

/**
 * The sampling rate of a stage: 10 % in production, where traffic is high and traces cost,
 * 100 % elsewhere, where every request of a test is worth seeing.
 *
 * @example
 * ```ts
 * samplingRateForStage('prod') // 0.1
 * samplingRateForStage('staging') // 1
 * ```
 */
export function samplingRateForStage(stageName: string): number {
  return PRODUCTION_STAGES.has(stageName.toLowerCase()) ? 0.1 : 1
}

/**
 * An X-Ray sampling rule matching the API Gateway stage. Lambda applies no sampling rule to its
 * own segment: it follows the decision in the incoming trace header. The API stage makes that
 * decision with this rule, so the rule governs every function behind the API.
 *
 * @example
 * ```ts
 * new ApiStageSamplingRule(this, 'Sampling', { apiName: 'lego-api', stageName: 'prod', fixedRate: 0.1 })
 * ```
 */
export class ApiStageSamplingRule extends Construct {
  readonly rule: xray.CfnSamplingRule
  readonly ruleName: string

  constructor(scope: Construct, id: string, props: ApiStageSamplingRuleProps) {
    super(scope, id)
    const ruleName = boundedName(props.ruleName ?? `${props.apiName}-${props.stageName}`)
    const priority = props.priority ?? 1000
    const reservoirSize = props.reservoirSize ?? 1
    if (!(props.fixedRate >= 0 && props.fixedRate <= 1)) {
      throw new Error(`fixedRate must be between 0 and 1, got ${props.fixedRate}`)
    }
    if (!Number.isInteger(priority) || priority < 1 || priority > 9999) {
      throw new Error(`priority must be an integer from 1 to 9999, got ${priority}`)
    }
    this.ruleName = ruleName
    this.rule = new xray.CfnSamplingRule(this, 'Rule', {
      samplingRule: {
        ruleName,
        priority,
        fixedRate: props.fixedRate,
        reservoirSize,
        // API Gateway names its segments `<api name>/<stage>`.
        serviceName: `${props.apiName}/${props.stageName}`,
        serviceType: 'AWS::ApiGateway::Stage',
        host: '*',
        httpMethod: '*',
        urlPath: '*',
        resourceArn: '*',
        version: 1,
      },
    })
  }
}
