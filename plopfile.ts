import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { NodePlopAPI } from 'node-plop'
import { registerAppGenerators } from './src/generators/app-generators'
import { registerHandlerGenerator } from './src/generators/handler-generator'
import { registerHelpers } from './src/generators/handlebars-helpers'

const root = path.dirname(fileURLToPath(import.meta.url))

/** Plop generators of xray-scaffold. `npm run gen` runs the app generators, `npx plop handler` (or
 * `npm run gen handler`) the handler scaffold; see README.md. */
export default function plopfile(plop: NodePlopAPI): void {
  registerHelpers(plop)
  registerAppGenerators(plop, path.join(root, 'templates'))
  registerHandlerGenerator(plop)
}
