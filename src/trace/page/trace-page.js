// The trace page's script: draws the service map (laid out by dagre, inlined before this file),
// the list of traces, the selected trace's waterfall and the details of the clicked row. Plain
// browser JavaScript, so the page opens from disk with no network and no build step.
/* global dagre */
;(() => {
  'use strict'
  const data = JSON.parse(document.getElementById('trace-data').textContent)
  const SVG = 'http://www.w3.org/2000/svg'
  const KIND_COLOUR = { client: '#7f8ea3', function: '#ff9900', remote: '#4c9aff', aws: '#b07cff' }
  const NODE = { width: 236, height: 66 }

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag)
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') node.className = v
      else if (k === 'text') node.textContent = v
      else node.setAttribute(k, v)
    }
    for (const child of children) if (child != null) node.append(child)
    return node
  }
  const svg = (tag, attrs = {}) => {
    const node = document.createElementNS(SVG, tag)
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v))
    return node
  }
  const ms = (value) =>
    (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)) + ' ms'
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`
  const truncate = (text, max) => (text.length > max ? text.slice(0, max - 1) + '…' : text)

  // ---- service map --------------------------------------------------------------------------
  function drawMap() {
    const graph = new dagre.graphlib.Graph()
    graph.setGraph({
      rankdir: 'LR',
      nodesep: 22,
      ranksep: 70,
      edgesep: 14,
      marginx: 12,
      marginy: 12,
    })
    graph.setDefaultEdgeLabel(() => ({}))
    for (const node of data.map.nodes) graph.setNode(node.name, { ...NODE, node })
    // Edge labels are laid out by dagre too (centred on the edge), so they never sit on a node.
    for (const edge of data.map.edges) {
      graph.setEdge(edge.from, edge.to, { count: edge.count, width: 30, height: 16, labelpos: 'c' })
    }
    dagre.layout(graph)
    const { width, height } = graph.graph()
    const root = document.getElementById('service-map')
    // Scaled to the panel's width, never above natural size.
    root.style.maxWidth = `${Math.ceil(width)}px`
    root.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`)
    const defs = svg('defs')
    const marker = svg('marker', {
      id: 'arrow',
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    })
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#5b6b80' }))
    defs.append(marker)
    root.append(defs)

    for (const e of graph.edges()) {
      const edge = graph.edge(e)
      const g = svg('g', { class: 'map-edge', 'data-from': e.v, 'data-to': e.w })
      g.append(svg('path', { d: curve(edge.points), 'marker-end': 'url(#arrow)' }))
      const mid = { x: edge.x, y: edge.y }
      const label = `×${edge.count}`
      g.append(
        svg('rect', {
          x: mid.x - 4 - label.length * 3.3,
          y: mid.y - 8,
          width: label.length * 6.6 + 8,
          height: 15,
          rx: 3,
        }),
      )
      const text = svg('text', { x: mid.x, y: mid.y + 4, 'text-anchor': 'middle' })
      text.textContent = label
      g.append(text)
      root.append(g)
    }
    for (const name of graph.nodes()) {
      const { x, y, node } = graph.node(name)
      const left = x - NODE.width / 2
      const top = y - NODE.height / 2
      const health = node.faults > 0 ? 'fault' : node.errors > 0 ? 'error' : 'ok'
      const g = svg('g', {
        class: `map-node ${node.kind}`,
        'data-name': node.name,
        'data-kind': node.kind,
        transform: `translate(${left},${top})`,
      })
      const title = svg('title')
      title.textContent = `${node.name} (${node.kind})`
      g.append(title)
      g.append(svg('rect', { class: 'card', width: NODE.width, height: NODE.height, rx: 8 }))
      g.append(
        svg('rect', {
          class: 'stripe',
          width: 5,
          height: NODE.height,
          rx: 2,
          fill: KIND_COLOUR[node.kind],
        }),
      )
      g.append(svg('circle', { class: `health-${health}`, cx: 22, cy: 22, r: 6 }))
      const nameText = svg('text', { class: 'name', x: 36, y: 26 })
      nameText.textContent = truncate(node.name, 27)
      g.append(nameText)
      const stats = svg('text', { class: 'stats', x: 16, y: 45 })
      stats.textContent =
        node.kind === 'client'
          ? plural(node.count, 'request')
          : `${plural(node.count, 'call')} · avg ${ms(node.averageMs)}`
      g.append(stats)
      const badges = svg('text', { class: 'badge', x: 16, y: 59 })
      const parts = [
        [node.errors, 'error', '#e3b341'],
        [node.faults, 'fault', '#f85149'],
        [node.throttles, 'throttle', '#d2a8ff'],
      ].filter(([n]) => n > 0)
      if (parts.length === 0 && node.kind !== 'client') parts.push([0, 'no errors', '#3fb950'])
      parts.forEach(([n, word, colour], i) => {
        const span = svg('tspan', { fill: colour, dx: i === 0 ? 0 : 10 })
        span.textContent = word === 'no errors' ? word : plural(n, word)
        badges.append(span)
      })
      g.append(badges)
      root.append(g)
    }
    document.getElementById('map-summary').textContent =
      `${plural(data.map.nodes.length, 'node')} · ${plural(data.map.edges.length, 'edge')}`
  }

  /** A smooth path through dagre's edge points. */
  function curve(points) {
    let d = `M ${points[0].x} ${points[0].y}`
    for (let i = 1; i < points.length - 1; i++) {
      const p = points[i]
      const next = points[i + 1]
      d += ` Q ${p.x} ${p.y} ${(p.x + next.x) / 2} ${(p.y + next.y) / 2}`
    }
    const last = points[points.length - 1]
    return d + ` L ${last.x} ${last.y}`
  }

  // ---- trace list ---------------------------------------------------------------------------
  let current = null
  function drawTraceList() {
    const list = document.getElementById('trace-list')
    data.traces.forEach((trace, index) => {
      const status = trace.status === undefined ? 'sx' : `s${String(trace.status)[0]}`
      const faulty = trace.rows.some((r) => r.fault)
      const item = el(
        'li',
        { 'data-trace': trace.id },
        el('span', {
          class: `status ${faulty && status === 'sx' ? 's5' : status}`,
          text: trace.status ?? (faulty ? 'fault' : '—'),
        }),
        el(
          'div',
          {},
          el('div', { class: 'label', text: trace.label ?? trace.rows[0]?.name ?? trace.id }),
          el('div', { class: 'id', text: trace.id }),
        ),
        el('span', { class: 'ms', text: ms(trace.durationMs) }),
      )
      item.addEventListener('click', () => selectTrace(index))
      list.append(item)
    })
    document.getElementById('trace-summary').textContent = plural(data.traces.length, 'trace')
  }

  function selectTrace(index) {
    current = data.traces[index]
    document
      .querySelectorAll('#trace-list li')
      .forEach((li, i) => li.classList.toggle('selected', i === index))
    drawWaterfall(current)
    showDetails(null)
  }

  // ---- waterfall ----------------------------------------------------------------------------
  function drawWaterfall(trace) {
    const root = document.getElementById('waterfall')
    root.replaceChildren()
    document.getElementById('waterfall-summary').textContent =
      `${trace.label ?? trace.id} · ${ms(trace.durationMs)}`
    const total = Math.max(trace.durationMs, 0.001)
    const axis = el('div', { class: 'wf-axis' })
    for (let i = 0; i <= 4; i++) {
      const tick = el('span', { text: ms((total * i) / 4) })
      tick.style.left = `${i * 25}%`
      axis.append(tick)
    }
    root.append(
      el(
        'div',
        { class: 'wf-head' },
        el('span', { text: 'Segment' }),
        axis,
        el('span', { text: 'Duration', style: 'text-align:right' }),
      ),
    )
    trace.rows.forEach((row) => {
      const name = el('div', { class: 'wf-name' })
      name.style.paddingLeft = `${row.depth * 16}px`
      name.append(el('span', { class: 'n', text: row.name, title: row.name }))
      if (row.namespace)
        name.append(el('span', { class: `ns ${row.namespace}`, text: row.namespace }))
      if (row.fault) name.append(el('span', { class: 'mark fault', text: 'FAULT' }))
      if (row.error) name.append(el('span', { class: 'mark error', text: 'ERROR' }))
      if (row.throttle) name.append(el('span', { class: 'mark throttle', text: 'THROTTLE' }))
      const kind = row.fault
        ? 'fault'
        : row.error
          ? 'error'
          : row.namespace === 'remote'
            ? 'remote'
            : row.namespace === 'aws'
              ? 'aws'
              : row.depth === 0
                ? ''
                : 'plain'
      const bar = el('div', { class: `wf-bar ${kind}` })
      bar.style.left = `${(row.offsetMs / total) * 100}%`
      bar.style.width = `${Math.max((row.durationMs / total) * 100, 0.3)}%`
      const line = el(
        'div',
        { class: 'wf-row', 'data-id': row.id },
        name,
        el('div', { class: 'wf-track' }, bar),
        el('span', { class: 'wf-ms', text: ms(row.durationMs) }),
      )
      line.addEventListener('click', () => {
        root.querySelectorAll('.wf-row').forEach((r) => r.classList.toggle('selected', r === line))
        showDetails(row)
      })
      root.append(line)
    })
  }

  // ---- details ------------------------------------------------------------------------------
  function showDetails(row) {
    const body = document.getElementById('details-body')
    body.replaceChildren()
    if (!row) {
      body.append(
        el('p', {
          class: 'empty',
          text: 'Click a row of the timeline to see its annotations, metadata, SQL, HTTP, AWS fields and exceptions.',
        }),
      )
      return
    }
    const d = row.details
    body.append(el('h3', { text: row.name }))
    body.append(
      el('div', { class: 'sub', text: `${row.id}${row.namespace ? ' · ' + row.namespace : ''}` }),
    )
    body.append(
      section(
        'Overview',
        table({
          start: `+${ms(row.offsetMs)}`,
          duration: ms(row.durationMs),
          ...(d.origin ? { origin: d.origin } : {}),
          ...(row.fault ? { fault: 'true' } : {}),
          ...(row.error ? { error: 'true' } : {}),
          ...(row.throttle ? { throttle: 'true' } : {}),
          ...(d.in_progress ? { in_progress: 'true' } : {}),
        }),
      ),
    )
    if (Object.keys(row.annotations).length)
      body.append(section('Annotations', table(row.annotations)))
    if (d.metadata) body.append(section('Metadata', pre(d.metadata)))
    if (d.sql) body.append(section('SQL', table(flat(d.sql))))
    if (d.http) body.append(section('HTTP', table(flat(d.http))))
    if (d.aws) body.append(section('AWS', table(flat(d.aws))))
    if (d.cause) body.append(section('Exception', cause(d.cause)))
  }
  const section = (title, content) =>
    el(
      'div',
      { class: `section section-${title.toLowerCase()}` },
      el('h4', { text: title }),
      content,
    )
  const pre = (value) => el('pre', { text: JSON.stringify(value, null, 2) })
  const table = (record) => {
    const t = el('table')
    for (const [k, v] of Object.entries(record))
      t.append(
        el(
          'tr',
          {},
          el('td', { text: k }),
          el('td', { text: typeof v === 'string' ? v : JSON.stringify(v) }),
        ),
      )
    return t
  }
  const flat = (value, prefix = '', out = {}) => {
    for (const [k, v] of Object.entries(value)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) flat(v, `${prefix}${k}.`, out)
      else out[`${prefix}${k}`] = v
    }
    return out
  }
  const cause = (value) => {
    if (typeof value === 'string')
      return el('div', { text: `exception ${value} (recorded on another segment)` })
    const box = el('div')
    for (const e of value.exceptions ?? []) {
      const frames = (e.stack ?? [])
        .map((f) => `  at ${f.label ?? '<anonymous>'} (${f.path}:${f.line})`)
        .join('\n')
      box.append(
        el(
          'div',
          { class: 'exception' },
          el('b', { text: `${e.type ?? 'Error'}: ` }),
          el('span', { text: e.message ?? '' }),
          frames ? el('pre', { text: frames }) : null,
        ),
      )
    }
    if (value.working_directory)
      box.append(el('div', { class: 'sub', text: value.working_directory }))
    return box
  }

  drawMap()
  drawTraceList()
  if (data.traces.length) selectTrace(0)
})()
