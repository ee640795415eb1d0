import pc from 'picocolors'
import type { TraceNode } from './collector'
import type { AnnotationValue } from './segment-document'
import { endOf, type TraceView } from './trace-view'

/** One row of a waterfall: a (sub)segment placed on the trace's time axis. */
export interface WaterfallRow {
  readonly id: string
  readonly name: string
  /** Nesting depth; roots are 0. */
  readonly depth: number
  /** Milliseconds from the trace's start to the entity's start. */
  readonly offsetMs: number
  readonly durationMs: number
  readonly namespace?: string
  readonly annotations: Readonly<Record<string, AnnotationValue>>
  readonly error: boolean
  readonly fault: boolean
  readonly throttle: boolean
  readonly inProgress: boolean
  /** The exception messages recorded in `cause`. */
  readonly exceptions: readonly string[]
  readonly node: TraceNode
}

/**
 * The trace as rows, depth first, children in start order: the order a waterfall draws them.
 *
 * @example
 * waterfallRows(trace).map((row) => row.name) // ['## lego-api-moc-instructions', 'Redis - Get Cache', 'Redis', ...]
 */
export function waterfallRows(trace: TraceView): WaterfallRow[] {
  const rows: WaterfallRow[] = []
  const visit = (node: TraceNode, depth: number) => {
    const { entity } = node
    const cause = typeof entity.cause === 'object' ? entity.cause : undefined
    rows.push({
      id: entity.id,
      name: entity.name,
      depth,
      offsetMs: (entity.start_time - trace.start) * 1000,
      durationMs: (endOf(node) - entity.start_time) * 1000,
      namespace: entity.namespace,
      annotations: entity.annotations ?? {},
      error: entity.error === true,
      fault: entity.fault === true,
      throttle: entity.throttle === true,
      inProgress: entity.in_progress === true,
      exceptions: (cause?.exceptions ?? []).map((e) => `${e.type ?? 'Error'}: ${e.message ?? ''}`),
      node,
    })
    for (const child of node.children) visit(child, depth + 1)
  }
  for (const root of trace.roots) visit(root, 0)
  return rows
}

/** How the terminal waterfall is drawn. */
export interface WaterfallOptions {
  /** ANSI colours; the CLI turns them on only on a TTY. */
  readonly color: boolean
  /** Width of the bar column in characters. Default 32. */
  readonly barWidth?: number
}

const NAME_WIDTH = 44

/**
 * The trace as terminal lines: one row per (sub)segment, indented by nesting, a bar scaled to
 * the trace's duration, the duration in ms, the namespace, the annotations, and error / fault /
 * throttle marks.
 *
 * @example
 * process.stdout.write(renderWaterfall(trace, { color: process.stdout.isTTY }).join('\n'))
 */
export function renderWaterfall(trace: TraceView, options: WaterfallOptions): string[] {
  const c = pc.createColors(options.color)
  const width = options.barWidth ?? 32
  const totalMs = Math.max((trace.end - trace.start) * 1000, 0.001)
  const lines = [
    c.bold(`trace ${trace.id}`) +
      c.dim(`  ${totalMs.toFixed(1)} ms${trace.label ? `  ${trace.label}` : ''}`),
  ]
  for (const row of waterfallRows(trace)) {
    const label = `${'  '.repeat(row.depth)}${row.name}`
    const name =
      label.length > NAME_WIDTH ? `${label.slice(0, NAME_WIDTH - 1)}…` : label.padEnd(NAME_WIDTH)
    const from = Math.min(width - 1, Math.floor((row.offsetMs / totalMs) * width))
    const length = Math.max(1, Math.round((row.durationMs / totalMs) * width))
    const bar = ' '.repeat(from) + '█'.repeat(Math.min(length, width - from))
    const paint = row.fault
      ? c.red
      : row.error
        ? c.yellow
        : row.throttle
          ? c.magenta
          : barColour(c, row.namespace)
    const marks = [
      row.fault ? c.red('FAULT') : '',
      row.error ? c.yellow('ERROR') : '',
      row.throttle ? c.magenta('THROTTLE') : '',
      row.inProgress ? c.dim('in progress') : '',
    ].filter(Boolean)
    const annotations = Object.entries(row.annotations)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ')
    lines.push(
      [
        name,
        `│${paint(bar.padEnd(width))}│`,
        `${row.durationMs.toFixed(1).padStart(7)} ms`,
        c.cyan((row.namespace ?? '').padEnd(6)),
        ...marks,
        c.dim(annotations),
        ...row.exceptions.map((e) => c.red(e)),
      ]
        .filter((part) => part !== '')
        .join(' ')
        .trimEnd(),
    )
  }
  return lines
}

function barColour(c: ReturnType<typeof pc.createColors>, namespace: string | undefined) {
  if (namespace === 'remote') return c.blue
  if (namespace === 'aws') return c.yellow
  return c.green
}
