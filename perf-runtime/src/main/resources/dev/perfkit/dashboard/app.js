// perfkit dashboard: fetches JSON from this server and renders it with DOM APIs only (textContent, never innerHTML),
// so every name coming from the server is shown as text.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];
const selected = new Set();
let firstRender = true;

function fmtNanos(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '-';
  if (n < 1e3) return n.toFixed(0) + ' ns';
  if (n < 1e6) return (n / 1e3).toPrecision(3) + ' us';
  if (n < 1e9) return (n / 1e6).toPrecision(3) + ' ms';
  return (n / 1e9).toPrecision(3) + ' s';
}

function fmtBytes(b) {
  if (b === null || b === undefined || Number.isNaN(b)) return '-';
  if (b < 1024) return b.toFixed(0) + ' B';
  if (b < 1048576) return (b / 1024).toPrecision(3) + ' KiB';
  if (b < 1073741824) return (b / 1048576).toPrecision(3) + ' MiB';
  return (b / 1073741824).toPrecision(3) + ' GiB';
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function svgEl(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
  return response.json();
}

function renderTimers(metrics) {
  const body = document.querySelector('#timers tbody');
  body.replaceChildren();
  if (firstRender && selected.size === 0) {
    metrics.timers.filter(t => t.targetNanos !== undefined && t.targetNanos !== null).slice(0, 6)
      .forEach(t => selected.add(t.name));
  }
  for (const t of metrics.timers) {
    const bytes = t.unit === 'bytes';
    const fmt = bytes ? fmtBytes : fmtNanos;
    const suffix = bytes ? 'Bytes' : 'Nanos';
    const row = el('tr');
    row.dataset.name = t.name;
    const pick = el('td');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = selected.has(t.name);
    box.disabled = bytes;
    box.addEventListener('change', () => { box.checked ? selected.add(t.name) : selected.delete(t.name); refresh(); });
    pick.appendChild(box);
    row.appendChild(pick);
    row.appendChild(el('td', t.name, 'name'));
    row.appendChild(el('td', t.count, 'count'));
    row.appendChild(el('td', t.count ? fmt(t['p50' + suffix]) : '-'));
    row.appendChild(el('td', t.count ? fmt(t['p99' + suffix]) : '-'));
    row.appendChild(el('td', t.count ? fmt(t['max' + suffix]) : '-'));
    const target = t['target' + suffix];
    row.appendChild(el('td', target === null || target === undefined ? '-' : fmt(target)));
    row.appendChild(el('td', t.status, t.status === 'met' ? 'met' : t.status === 'missed' ? 'missed' : ''));
    body.appendChild(row);
  }
}

function linePlot(svg, series, formatY, width, height) {
  svg.replaceChildren();
  const pad = { left: 64, right: 10, top: 10, bottom: 22 };
  const all = series.flatMap(s => s.points);
  if (all.length === 0) {
    const t = svgEl('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' });
    t.textContent = 'waiting for data…';
    svg.appendChild(t);
    return 0;
  }
  const xs = all.map(p => p[0]);
  const ys = all.map(p => p[1]).filter(v => Number.isFinite(v));
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  const y1 = Math.max(...ys, 1);
  const sx = x => pad.left + (x - x0) / (x1 - x0) * (width - pad.left - pad.right);
  const sy = y => height - pad.bottom - y / y1 * (height - pad.top - pad.bottom);
  svg.appendChild(svgEl('line', { x1: pad.left, y1: height - pad.bottom, x2: width - pad.right, y2: height - pad.bottom, class: 'axis' }));
  svg.appendChild(svgEl('line', { x1: pad.left, y1: pad.top, x2: pad.left, y2: height - pad.bottom, class: 'axis' }));
  for (const frac of [0, 0.5, 1]) {
    const label = svgEl('text', { x: pad.left - 4, y: sy(y1 * frac) + 4, 'text-anchor': 'end' });
    label.textContent = formatY(y1 * frac);
    svg.appendChild(label);
  }
  let drawn = 0;
  series.forEach((s, i) => {
    const pts = s.points.filter(p => Number.isFinite(p[1]));
    if (pts.length === 0) return;
    const d = pts.map((p, j) => (j ? 'L' : 'M') + sx(p[0]).toFixed(1) + ' ' + sy(p[1]).toFixed(1)).join(' ');
    const path = svgEl('path', { d, fill: 'none', stroke: s.color || COLORS[i % COLORS.length], 'stroke-width': 2 });
    path.dataset.series = s.name;
    svg.appendChild(path);
    for (const p of pts) {
      svg.appendChild(svgEl('circle', { cx: sx(p[0]).toFixed(1), cy: sy(p[1]).toFixed(1), r: 2.5, fill: s.color || COLORS[i % COLORS.length] }));
    }
    drawn++;
  });
  return drawn;
}

function legend(container, names) {
  container.replaceChildren();
  names.forEach((name, i) => {
    const item = el('span');
    const swatch = el('i');
    swatch.style.background = COLORS[i % COLORS.length];
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(name));
    container.appendChild(item);
  });
}

function renderHistory(history) {
  const names = [...selected].filter(n => history.timers[n]);
  const series = names.map(name => ({
    name,
    points: history.timers[name].filter(p => p[1] > 0).map(p => [p[0], p[3]])
  }));
  const drawn = linePlot(document.getElementById('latency-plot'), series, fmtNanos, 900, 260);
  legend(document.getElementById('latency-legend'), names);
  const heap = history.jvm.map(p => [p[0], p[1]]);
  linePlot(document.getElementById('heap-plot'), [{ name: 'heap', points: heap }], fmtBytes, 420, 140);
  return drawn;
}

function renderJvm(jvm) {
  const body = document.querySelector('#jvm tbody');
  body.replaceChildren();
  const rows = [
    ['heap used', fmtBytes(jvm.heapUsedBytes)],
    ['heap committed', fmtBytes(jvm.heapCommittedBytes)],
    ['heap max', fmtBytes(jvm.heapMaxBytes)],
    ['process CPU', Number.isFinite(jvm.processCpuLoad) ? (jvm.processCpuLoad * 100).toFixed(1) + ' %' : '-'],
    ['threads', jvm.threads],
    ['uptime', fmtNanos(jvm.uptimeMillis * 1e6)]
  ];
  for (const gc of jvm.gc) rows.push(['GC ' + gc.name, gc.count + ' collections, ' + gc.timeMillis + ' ms']);
  for (const [k, v] of rows) {
    const tr = el('tr');
    tr.appendChild(el('td', k));
    tr.appendChild(el('td', v));
    body.appendChild(tr);
  }
}

function renderProfile(profile) {
  const body = document.querySelector('#profile tbody');
  body.replaceChildren();
  for (const m of profile.methods) {
    const row = el('tr');
    row.appendChild(el('td'));
    row.appendChild(el('td', m.name, 'name'));
    row.appendChild(el('td', m.calls));
    row.appendChild(el('td', fmtNanos(m.totalNanos)));
    row.appendChild(el('td', fmtNanos(m.selfNanos)));
    row.appendChild(el('td', fmtNanos(m.calls ? m.totalNanos / m.calls : 0)));
    row.appendChild(el('td', fmtNanos(m.cpuNanos)));
    row.appendChild(el('td', fmtBytes(m.allocatedBytes)));
    body.appendChild(row);
  }
  document.getElementById('profile-summary').textContent = profile.paths + ' call paths'
    + (profile.overflowCalls ? ', ' + profile.overflowCalls + ' calls beyond the path cap' : '');
  document.body.dataset.profileRows = String(profile.methods.length);
}

function colorFor(value, low, high) {
  if (!Number.isFinite(value)) return '#999';
  const f = Math.max(0, Math.min(1, (value - low) / (high - low || 1)));
  return 'hsl(' + Math.round(f * 120) + ', 75%, 42%)';
}

function renderPanel(panel) {
  const card = el('section', null, 'card');
  card.dataset.panel = panel.id;
  card.appendChild(el('h2', panel.title));
  const c = panel.content || {};
  if (c.kind === 'kv') {
    const table = el('table', null, 'kv');
    for (const [k, v] of Object.entries(c.rows || {})) {
      const tr = el('tr');
      tr.appendChild(el('td', k));
      tr.appendChild(el('td', v));
      table.appendChild(tr);
    }
    card.appendChild(table);
  } else if (c.kind === 'series') {
    const svg = svgEl('svg', { viewBox: '0 0 420 160', class: 'plot small', role: 'img' });
    const names = Object.keys(c.series || {});
    linePlot(svg, names.map(n => ({ name: n, points: c.series[n] })), v => v.toPrecision(3) + ' ' + (c.unit || ''), 420, 160);
    card.appendChild(svg);
    const lg = el('div', null, 'legend');
    legend(lg, names);
    card.appendChild(lg);
  } else if (c.kind === 'points') {
    const w = 420, h = 360, pad = 16;
    const svg = svgEl('svg', { viewBox: '0 0 ' + w + ' ' + h, class: 'plot map', role: 'img' });
    const pts = c.points || [];
    if (pts.length) {
      const xs = pts.map(p => p.x), ys = pts.map(p => p.y);
      const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
      for (const p of pts) {
        const cx = pad + (p.x - x0) / (x1 - x0 || 1) * (w - 2 * pad);
        const cy = h - pad - (p.y - y0) / (y1 - y0 || 1) * (h - 2 * pad);
        const dot = svgEl('circle', { cx: cx.toFixed(1), cy: cy.toFixed(1), r: 6, fill: colorFor(p.value, c.low, c.high) });
        const tip = svgEl('title');
        tip.textContent = p.label + ': ' + (Number.isFinite(p.value) ? p.value.toFixed(1) + ' ' + c.unit : 'no data');
        dot.appendChild(tip);
        svg.appendChild(dot);
      }
    }
    card.appendChild(svg);
    card.appendChild(el('p', 'red = ' + c.low + ' ' + c.unit + ' or less, green = ' + c.high + ' ' + c.unit + ' or more', 'hint'));
  } else {
    card.appendChild(el('p', c.message || 'unavailable', 'error'));
  }
  return card;
}

async function refresh() {
  const status = document.getElementById('status');
  try {
    const [metrics, history, jvm, panels, profile] = await Promise.all([
      getJson('/api/metrics'), getJson('/api/history'), getJson('/api/jvm'), getJson('/api/panels'),
      getJson('/api/profile')]);
    renderTimers(metrics);
    const plotted = renderHistory(history);
    renderJvm(jvm);
    renderProfile(profile);
    document.getElementById('panels').replaceChildren(...panels.map(renderPanel));
    const calls = metrics.timers.reduce((sum, t) => sum + t.count, 0);
    status.textContent = metrics.timers.length + ' timers, ' + calls + ' values, updated ' + new Date().toLocaleTimeString();
    document.body.dataset.timers = String(metrics.timers.length);
    document.body.dataset.plotted = String(plotted);
    document.body.dataset.ready = String(metrics.timers.length > 0);
    firstRender = false;
  } catch (e) {
    status.textContent = 'error: ' + e.message;
  }
}

refresh();
setInterval(refresh, 2000);
