import type { CodemodRun, FileOutcome } from './codemod-run'

/**
 * What `--check` reports: one `file:line` line per handler not wrapped in `withTracing`, per
 * dependency call outside a subsegment, per client constructed without its capture, and per
 * callback-style handler. Empty when the files are fully traced.
 */
export function checkFindings(run: CodemodRun): string[] {
  const findings: string[] = []
  for (const file of run.files) {
    const retrofit = file.retrofit
    if (!retrofit) continue
    for (const handler of retrofit.handlers)
      findings.push(`${file.display}:${handler.line}: handler ${handler.name} is not traced`)
    for (const call of retrofit.subsegments)
      findings.push(
        `${file.display}:${call.line}: dependency call outside a subsegment (${call.name})`,
      )
    if (retrofit.status === 'changed')
      for (const capture of retrofit.captures)
        findings.push(`${file.display}: client without its capture: ${capture}`)
    for (const note of retrofit.notes) {
      const line = /^line (\d+): /.exec(note)
      findings.push(
        line
          ? `${file.display}:${line[1]}: ${note.slice(line[0].length)}`
          : `${file.display}: ${note}`,
      )
    }
  }
  return findings
}

/** `Results: 2 changed, 1 unchanged, 1 skipped, 0 failed (0.8 s)`, as jscodeshift ends a run. */
export function resultsLine(run: CodemodRun): string {
  const count = (status: FileOutcome['status']) =>
    run.files.filter((f) => f.status === status).length
  return `Results: ${count('changed')} changed, ${count('unchanged')} unchanged, ${count('skipped')} skipped, ${count('failed')} failed (${run.seconds.toFixed(1)} s)`
}

/**
 * A review summary for a pull request, in Markdown: per changed file, the handlers wrapped, the
 * subsegments added (name, operation, table / bucket / index) and the captures applied; then what
 * was skipped or left alone, and why.
 */
export function markdownReport(run: CodemodRun): string {
  const lines = ['# X-Ray tracing retrofit', '', resultsLine(run), '']
  for (const runtime of run.runtimes) {
    lines.push(
      `The tracing runtime was generated in \`${runtime.runtimeDir}/\` (${runtime.files.size} files).`,
    )
    if (runtime.missingPackages.length > 0)
      lines.push(`It needs: \`npm install ${runtime.missingPackages.join(' ')}\`.`)
    lines.push('')
  }
  for (const file of run.files.filter((f) => f.status === 'changed')) {
    const retrofit = file.retrofit!
    lines.push(`## \`${file.display}\``, '')
    if (retrofit.handlers.length > 0) {
      lines.push('Handlers wrapped in `withTracing`:', '')
      for (const handler of retrofit.handlers)
        lines.push(
          `- \`${handler.name}\` (line ${handler.line}), service \`${handler.service}\`${handler.converted ? ', converted from callback style to async' : ''}`,
        )
      lines.push('')
    }
    if (retrofit.subsegments.length > 0) {
      lines.push('| Line | Subsegment | Operation | Resource |', '| --- | --- | --- | --- |')
      for (const s of retrofit.subsegments)
        lines.push(
          `| ${s.line} | ${s.name} | ${s.operation ?? ''} | ${s.resource ? `\`${s.resource.replace(/\|/g, '\\|')}\`` : ''} |`,
        )
      lines.push('')
    }
    if (retrofit.captures.length > 0)
      lines.push(`Captures applied: ${retrofit.captures.map((c) => `\`${c}\``).join(', ')}.`, '')
    for (const note of retrofit.notes) lines.push(`- Left alone: ${note}`)
    if (retrofit.notes.length > 0) lines.push('')
  }
  const others = run.files.filter(
    (f) =>
      f.status === 'skipped' ||
      f.status === 'failed' ||
      (f.retrofit?.notes.length && f.status !== 'changed'),
  )
  if (others.length > 0) {
    lines.push('## Skipped or left alone', '')
    for (const file of others) {
      const why = file.reason ?? file.retrofit?.notes.join('; ') ?? ''
      lines.push(`- \`${file.display}\` (${file.status}): ${why}`)
    }
    lines.push('')
  }
  return lines.join('\n')
}
