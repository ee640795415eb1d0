import path from 'node:path'
import prettier from 'prettier'

const parsers: Record<string, string> = {
  '.ts': 'typescript',
  '.json': 'json',
  '.md': 'markdown',
  '.yml': 'yaml',
  '.yaml': 'yaml',
}

/**
 * Formats generated content with the repository's prettier config, so generated files read like
 * hand-written ones and `--check` compares formatted text. Files of other types pass unchanged.
 */
export async function formatFile(root: string, file: string, content: string): Promise<string> {
  const parser = parsers[path.extname(file)]
  if (!parser) return content
  const config = await prettier.resolveConfig(path.join(root, file), { editorconfig: false })
  return prettier.format(content, { ...config, parser })
}
