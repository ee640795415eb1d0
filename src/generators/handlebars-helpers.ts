import Handlebars from 'handlebars'
import type { NodePlopAPI } from 'node-plop'

/**
 * Helpers the templates use; plop's own case helpers (pascalCase, camelCase, ...) come on top.
 * Templates emit TypeScript, not HTML: `json` returns a SafeString so quotes are not escaped.
 */
export function registerHelpers(plop: NodePlopAPI): void {
  plop.setHelper('json', (value: unknown) => new Handlebars.SafeString(JSON.stringify(value)))
  plop.setHelper('eq', (a: unknown, b: unknown) => a === b)
  plop.setHelper(
    'includes',
    (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value),
  )
  plop.setHelper('pascal', (value: string) => plop.getHelper('pascalCase')(value))
  plop.setHelper('camel', (value: string) => plop.getHelper('camelCase')(value))
}
