import type { AblationResults } from './ablations'
import type { ToolingResult } from './measure-tooling'
import type { BenchResults } from './run-bench'

/**
 * The benchmark's results as a Markdown table, one row per Node version and variant: what the
 * README's Performance section shows.
 *
 * @example
 * console.log(benchTable(results))
 */
export function benchTable(results: BenchResults): string {
  const header = [
    'Node',
    'Variant',
    'MOC GET sampled (ms)',
    'overhead sampled (ms)',
    'overhead unsampled (ms)',
    'docs / entities sent',
    'await loop (µs/iter)',
    'promise tax',
    'module init (ms)',
    'init added (ms)',
    'bundle (KB)',
    'library alone: init added (ms)',
    'library alone: KB added',
  ]
  const rows = results.nodes.flatMap((node) =>
    node.variants.map((v) => [
      node.version,
      v.label,
      v.invocationMs.sampled.toFixed(3),
      v.variant === 'untraced' ? '—' : signed(v.overheadMs.sampled, 3),
      v.variant === 'untraced' ? '—' : signed(v.overheadMs.unsampled, 3),
      v.variant === 'untraced' ? '—' : `${v.datagramsSent} / ${v.subsegmentsSent}`,
      v.promiseIterationUs.toFixed(2),
      `${v.promiseTaxRatio.toFixed(2)}×`,
      v.coldStartInitMs.toFixed(1),
      v.variant === 'untraced' ? '—' : signed(v.coldStartAddedMs, 1),
      (v.bundleBytes / 1024).toFixed(0),
      v.variant === 'untraced' ? '—' : signed(v.libraryInitAddedMs, 1),
      v.variant === 'untraced' ? '—' : (v.libraryAddedBytes / 1024).toFixed(0),
    ]),
  )
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/**
 * The ablation study as a Markdown table: the generated runtime, then one row per piece taken out,
 * with its overhead over the untraced fixture and what taking it out saved.
 *
 * @example
 * console.log(ablationTable(results))
 */
export function ablationTable(results: AblationResults): string {
  const header = [
    'MOC function',
    'overhead sampled (ms)',
    'overhead unsampled (ms)',
    'saved sampled (ms)',
    'saved unsampled (ms)',
    'entities sent',
  ]
  const rows = results.rows.map((row, index) => [
    row.label,
    signed(row.overheadMs.sampled, 3),
    signed(row.overheadMs.unsampled, 3),
    index === 0 ? '—' : signed(row.savedMs.sampled, 3),
    index === 0 ? '—' : signed(row.savedMs.unsampled, 3),
    String(row.subsegmentsSent),
  ])
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/**
 * The scaffolder's own speed as a Markdown table: `npm run gen` and the codemod.
 *
 * @example
 * console.log(toolingTable(results.tooling))
 */
export function toolingTable(tooling: ToolingResult): string {
  const { gen, codemod } = tooling
  const perSecond = (handlers: number, ms: number) => `${((handlers * 1000) / ms).toFixed(1)}`
  const rows = [
    ['Step', 'Work', 'Time (ms)', 'Handlers / s'],
    ['---', '---', '---', '---'],
    [
      '`npm run gen -- --check`, fresh process',
      `${gen.files} files generated and compared`,
      String(gen.cliMs),
      '—',
    ],
    ['`generateApp`, warm', `${gen.files} files`, String(gen.warmMs), '—'],
    [
      'codemod, first run',
      `${codemod.handlers} handlers, ${codemod.lines} lines`,
      String(codemod.firstMs),
      perSecond(codemod.handlers, codemod.firstMs),
    ],
    [
      'codemod, warm',
      `${codemod.handlers} handlers, ${codemod.lines} lines`,
      String(codemod.appMs),
      perSecond(codemod.handlers, codemod.appMs),
    ],
    [
      'codemod, warm, the handlers copied',
      `${codemod.scaledHandlers} handlers, ${(codemod.lines * codemod.scaledHandlers) / codemod.handlers} lines`,
      String(codemod.scaledMs),
      perSecond(codemod.scaledHandlers, codemod.scaledMs),
    ],
  ]
  return [`${tooling.node}:`, ...rows.map((cells) => `| ${cells.join(' | ')} |`)].join('\n')
}

function signed(value: number, digits: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`
}
