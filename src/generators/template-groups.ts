/**
 * Which part of the app each template belongs to, by its path under `templates/` (a folder ends
 * in `/`). The tree of templates mirrors the tree of files it produces; these groups only decide
 * which Plop generator writes a file, so a repository can take the runtime alone (the codemod
 * does) or the whole app (`gen`).
 */
export const TEMPLATE_GROUPS = {
  /** The tracing runtime handlers import: `withTracing`, `traced`, `logger`, the captures. */
  runtime: ['src/lib/tracing/'],
  /** Traced clients of the app's dependencies, and the config values they read. */
  clients: [
    'src/lib/app-config.ts.hbs',
    'src/lib/cache/',
    'src/lib/db/',
    'src/lib/search/',
    'src/lib/storage/',
  ],
  /** The CDK app: traced functions, REST API, sampling, groups, dashboard. */
  infra: ['infra/', 'cdk.json'],
  /** The app's own package.json and tsconfig.json. */
  app: ['package.json.hbs', 'tsconfig.json'],
} as const satisfies Record<string, readonly string[]>

export type TemplateGroup = keyof typeof TEMPLATE_GROUPS

/** The group a template belongs to, or undefined when none claims it. */
export function groupOf(template: string): TemplateGroup | undefined {
  for (const [group, prefixes] of Object.entries(TEMPLATE_GROUPS)) {
    if (
      prefixes.some((prefix) =>
        prefix.endsWith('/') ? template.startsWith(prefix) : template === prefix,
      )
    )
      return group as TemplateGroup
  }
  return undefined
}
