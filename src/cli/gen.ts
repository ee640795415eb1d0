import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { outputDir } from '../generators/app-generators'
import { generateApp } from '../generators/generate-app'
import { diffFileSet, writeFileSet } from '../generators/sync-files'
import { legoApi } from '../manifest'

const USAGE = 'usage: npm run gen [-- --check]'

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check')
  const unknown = argv.filter((arg) => arg !== '--check')
  if (unknown.length > 0) {
    console.error(`gen: unknown argument ${unknown[0]}; ${USAGE}`)
    return 2
  }
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
  const app = legoApi
  const files = await generateApp(root, app)
  if (check) {
    const diff = await diffFileSet(root, outputDir(app), files)
    if (diff) {
      process.stdout.write(diff)
      console.error(
        `gen --check: ${outputDir(app)} differs from the templates and codemod; run npm run gen and commit the result`,
      )
      return 1
    }
    console.log(`gen --check: ${outputDir(app)} is up to date (${files.size} files)`)
    return 0
  }
  const summary = await writeFileSet(root, outputDir(app), files)
  console.log(
    `gen: ${summary.written.length} written, ${summary.unchanged.length} unchanged, ${summary.removed.length} removed in ${outputDir(app)}`,
  )
  return 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`gen: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  },
)
