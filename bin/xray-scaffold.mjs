#!/usr/bin/env node
// The `xray-scaffold` command: the CLI is TypeScript, run through tsx's loader (a dependency).
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv)
