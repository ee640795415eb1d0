import { Stack } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'

/**
 * The text cdk-nag puts in a finding id for a policy resource (`AwsSolutions-IAM5[Resource::<text>]`):
 * the resolved value with `Ref` written `<Name>` and `Fn::GetAtt` written `<Resource.Attribute>`.
 * Acknowledging a wildcard then names that one resource, so any other wildcard is still
 * reported.
 *
 * @example
 * ```ts
 * Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${nagResourceText(role, arn)}]`, reason })
 * ```
 */
export function nagResourceText(scope: IConstruct, value: string): string {
  return flatten(Stack.of(scope).resolve(value))
}

function flatten(node: unknown): string {
  if (node === undefined) return ''
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>')
  const object = node as Record<string, unknown>
  if (object['Fn::Join']) {
    const [delimiter, items] = object['Fn::Join'] as [string, unknown[]]
    return items.map(flatten).join(delimiter)
  }
  if (object['Fn::Sub']) return flatten(object['Fn::Sub'])
  if (object['Fn::GetAtt']) {
    const [resource, attribute] = object['Fn::GetAtt'] as [unknown, unknown]
    return `<${flatten(resource)}.${flatten(attribute)}>`
  }
  if (object['Fn::ImportValue']) return flatten(object['Fn::ImportValue'])
  if (object.Ref) return `<${flatten(object.Ref)}>`
  return JSON.stringify(node)
}
