import { createHash } from 'node:crypto'
import { Token } from 'aws-cdk-lib'

/**
 * X-Ray group and sampling-rule names: at most 32 letters, digits, `-` or `_`. A longer name is
 * cut and ends with a short hash of the full name, so it stays unique and the same on every
 * synth (`lego-api-staging-moc-instructions` -> `lego-api-staging-moc-instr-c9ba4`).
 *
 * @example
 * ```ts
 * boundedName('lego-api-prod-gallery') // 'lego-api-prod-gallery'
 * ```
 */
export function boundedName(name: string, maxLength = 32): string {
  if (Token.isUnresolved(name)) return name
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new Error(`"${name}" may contain only letters, digits, - and _`)
  }
  if (name.length <= maxLength) return name
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 5)
  return `${name.slice(0, maxLength - hash.length - 1)}-${hash}`
}
