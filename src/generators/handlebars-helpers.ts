import Handlebars from 'handlebars'
import type { NodePlopAPI } from 'node-plop'

/**
 * Helpers the `.hbs` templates use; plop's own case helpers (pascalCase, camelCase, ...) come on
 * top. Templates emit TypeScript, not HTML: `json` returns a SafeString so quotes are not escaped.
 */
export function registerHelpers(plop: NodePlopAPI): void {
  plop.setHelper('json', (value: unknown) => new Handlebars.SafeString(JSON.stringify(value)))
  plop.setHelper('pascal', (value: string) => plop.getHelper('pascalCase')(value))
}
