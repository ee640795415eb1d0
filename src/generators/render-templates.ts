import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { NodePlopAPI } from 'node-plop'
import { groupOf, type TemplateGroup } from './template-groups'
import type { TemplateContext } from './template-context'

const TEMPLATE_SUFFIX = '.hbs'

/** One file a template produces. */
export interface RenderedTemplate {
  /** Output path inside the app folder: the template's path, without `.hbs`. */
  readonly output: string
  /** The template's path under `templates/`, for the generated-file marker. */
  readonly template: string
  readonly content: string
}

/**
 * Produces the files of one group of `templates/`, as Plop's `addMany` does: a `.hbs` file is
 * rendered with the config's data, any other file is copied as it is (static code stays real
 * code that type-checks where it lives). Output paths mirror template paths, so there is no
 * routing table to keep in sync.
 *
 * @returns the group's files in path order
 */
export async function renderTemplateGroup(
  plop: NodePlopAPI,
  templatesDir: string,
  group: TemplateGroup,
  context: TemplateContext,
): Promise<RenderedTemplate[]> {
  const rendered: RenderedTemplate[] = []
  for (const template of await listTemplates(templatesDir)) {
    if (groupOf(template) !== group) continue
    const source = await readFile(path.join(templatesDir, template), 'utf8')
    const isTemplate = template.endsWith(TEMPLATE_SUFFIX)
    rendered.push({
      output: isTemplate ? template.slice(0, -TEMPLATE_SUFFIX.length) : template,
      template: `templates/${template}`,
      content: isTemplate ? plop.renderString(source, context) : source,
    })
  }
  return rendered
}

/** Every file under `templatesDir`, as sorted `/`-separated relative paths. */
export async function listTemplates(templatesDir: string): Promise<string[]> {
  const entries = await readdir(templatesDir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path
        .relative(templatesDir, path.join(entry.parentPath, entry.name))
        .split(path.sep)
        .join('/'),
    )
    .sort()
}
