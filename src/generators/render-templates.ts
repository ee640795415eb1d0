import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { NodePlopAPI } from 'node-plop'
import type { TemplateContext } from './template-context'

const TEMPLATE_SUFFIX = '.hbs'

/**
 * Renders every `.hbs` file under `templates/<group>/` with the manifest context. The output path
 * mirrors the template path inside the app folder, without `.hbs`: the tree of templates is the
 * tree of files it produces, so there is no routing table to keep in sync.
 *
 * @returns app-relative path → rendered (unformatted) content, in a stable order
 */
export async function renderTemplateGroup(
  plop: NodePlopAPI,
  templatesDir: string,
  group: string,
  context: TemplateContext,
): Promise<Map<string, string>> {
  const groupDir = path.join(templatesDir, group)
  const entries = await readdir(groupDir, { recursive: true, withFileTypes: true })
  const templates = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(TEMPLATE_SUFFIX))
    .map((entry) => path.relative(groupDir, path.join(entry.parentPath, entry.name)))
    .sort()
  const rendered = new Map<string, string>()
  for (const template of templates) {
    const source = await readFile(path.join(groupDir, template), 'utf8')
    const output = template.slice(0, -TEMPLATE_SUFFIX.length).split(path.sep).join('/')
    rendered.set(output, plop.renderString(source, context))
  }
  return rendered
}
