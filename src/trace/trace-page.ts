import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ServiceMap } from './service-map'
import { duration, type TraceView } from './trace-view'
import { waterfallRows } from './waterfall'

const require = createRequire(import.meta.url)
const PAGE_CSS = fileURLToPath(new URL('./page/trace-page.css', import.meta.url))
const PAGE_JS = fileURLToPath(new URL('./page/trace-page.js', import.meta.url))
/** dagre's browser build (a global `dagre`); the package exports only its module entry points. */
const DAGRE = path.join(
  path.dirname(require.resolve('@dagrejs/dagre/package.json')),
  'dist/dagre.min.js',
)

/** Fields of a (sub)segment shown when its row is clicked; nested subsegments are rows of their own. */
const DETAIL_FIELDS = ['origin', 'in_progress', 'metadata', 'sql', 'http', 'aws', 'cause'] as const

/** The data the page's script draws, embedded in the page as JSON. */
export interface TracePageData {
  readonly title: string
  readonly traces: ReadonlyArray<{
    id: string
    label?: string
    status?: number
    durationMs: number
    rows: ReadonlyArray<Record<string, unknown>>
  }>
  readonly map: ServiceMap
}

/**
 * One self-contained HTML page (styles, dagre and the script inlined: it opens from disk with
 * no network): the service map laid out by dagre, the list of traces, the selected trace's
 * waterfall, and the clicked row's annotations, metadata, `sql` / `http` / `aws` and exception.
 *
 * @example
 * await writeFile('trace.html', await renderTracePage('moc-instructions GET /api/mocs/{id}', traces, serviceMap(traces)))
 */
export async function renderTracePage(
  title: string,
  traces: readonly TraceView[],
  map: ServiceMap,
): Promise<string> {
  const data: TracePageData = {
    title,
    traces: traces.map((trace) => ({
      id: trace.id,
      label: trace.label,
      status: trace.status,
      durationMs: duration(trace) * 1000,
      rows: waterfallRows(trace).map(({ node, ...row }) => ({
        ...row,
        details: Object.fromEntries(
          DETAIL_FIELDS.filter((f) => node.entity[f] !== undefined).map((f) => [f, node.entity[f]]),
        ),
      })),
    })),
    map,
  }
  const [css, script, dagre] = await Promise.all([
    readFile(PAGE_CSS, 'utf8'),
    readFile(PAGE_JS, 'utf8'),
    readFile(DAGRE, 'utf8'),
  ])
  const traceCount = `${traces.length} trace${traces.length === 1 ? '' : 's'}`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · xray-scaffold trace</title>
<style>
${css}</style>
</head>
<body>
<header><h1><span>xray-scaffold</span> trace</h1><div class="summary">${escapeHtml(title)} · ${traceCount}</div></header>
<main>
<section id="map-panel"><h2>Service map <small id="map-summary"></small></h2><div id="map-wrap"><svg id="service-map" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="service map"></svg></div>
<div class="legend"><span><i style="background:#7f8ea3"></i>client</span><span><i style="background:#ff9900"></i>function</span><span><i style="background:#4c9aff"></i>remote</span><span><i style="background:#b07cff"></i>AWS</span><span><i style="background:#3fb950;border-radius:5px"></i>ok</span><span><i style="background:#e3b341;border-radius:5px"></i>errors (4xx)</span><span><i style="background:#f85149;border-radius:5px"></i>faults (5xx)</span></div></section>
<section id="traces-panel"><h2>Traces <small id="trace-summary"></small></h2><ul id="trace-list"></ul></section>
<section id="waterfall-panel"><h2>Timeline <small id="waterfall-summary"></small></h2><div id="waterfall"></div></section>
<aside id="details"><h2>Details</h2><div id="details-body"></div></aside>
</main>
<script type="application/json" id="trace-data">${scriptJson(data)}</script>
<script>${dagre}</script>
<script>${script}</script>
</body>
</html>
`
}

/** JSON that cannot end the `<script>` element it sits in. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
