#!/usr/bin/env node
// The `xray-scaffold` command: the CLI is TypeScript, run through tsx's loader (a dependency).
import { register } from 'tsx/esm/api'

register()
// Output piped into a reader that stops early (`xray-scaffold --help | head`): stop quietly too.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw error
})
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv)
