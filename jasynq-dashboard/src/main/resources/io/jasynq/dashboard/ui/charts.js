// Charts: uPlot (served from /vendor/uplot/) for time series, plain elements for bars.
import uPlot from './vendor/uplot/uPlot.esm.js';
import { h, num } from './lib.js';

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/**
 * A line chart of daily counts. days: ["yyyy-MM-dd", ...] oldest first; series: [{label,
 * values, color}] where color is a CSS variable name. Returns {el, destroy}.
 */
export function dailyChart(days, series, dataTest) {
  const el = h('div', { class: 'chart', dataTest });
  const xs = days.map((d) => Date.parse(d + 'T00:00:00Z') / 1000);
  const axis = { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid'), width: 1 }, ticks: { stroke: cssVar('--grid') } };
  const opts = {
    width: 600,
    height: 220,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(4, max * 1.1)] } },
    axes: [Object.assign({}, axis), Object.assign({ size: 56, values: (u, vals) => vals.map((v) => num(v)) }, axis)],
    series: [{ label: 'Date', value: '{YYYY}-{MM}-{DD}' }].concat(
      series.map((s) => ({
        label: s.label,
        stroke: cssVar(s.color),
        width: 2,
        fill: cssVar(s.color) + '22',
        points: { show: xs.length <= 31 },
        value: (u, v) => (v == null ? '—' : num(v)),
      })),
    ),
  };
  const plot = new uPlot(opts, [xs].concat(series.map((s) => s.values)), el);
  const fit = () => {
    const w = el.clientWidth;
    if (w > 0) plot.setSize({ width: w, height: 220 });
  };
  const ro = new ResizeObserver(fit);
  ro.observe(el);
  return {
    el,
    destroy() {
      ro.disconnect();
      plot.destroy();
    },
  };
}

/**
 * Horizontal stacked bars: rows [{label, href, parts: {key: n}}], keys [{key, label, cls}].
 */
export function stackedBars(rows, keys, dataTest) {
  const max = Math.max(1, ...rows.map((r) => keys.reduce((a, k) => a + (r.parts[k.key] || 0), 0)));
  const legend = h('div', { class: 'legend' }, keys.map((k) => h('span', { class: 'legend-item' }, h('i', { class: 'swatch ' + k.cls }), k.label)));
  const body = rows.map((r) => {
    const total = keys.reduce((a, k) => a + (r.parts[k.key] || 0), 0);
    const bar = h('div', { class: 'bar' });
    for (const k of keys) {
      const n = r.parts[k.key] || 0;
      if (!n) continue;
      const seg = h('div', { class: 'seg ' + k.cls, title: k.label + ': ' + num(n) });
      seg.style.width = (100 * n) / max + '%';
      bar.append(seg);
    }
    return h('div', { class: 'bar-row', dataTest: dataTest + '-row' },
      h(r.href ? 'a' : 'span', { class: 'bar-label', href: r.href, text: r.label }),
      h('div', { class: 'bar-track' }, bar),
      h('span', { class: 'bar-total', text: num(total) }));
  });
  return h('div', { class: 'bars', dataTest }, legend, body.length ? body : h('p', { class: 'muted', text: 'No queues.' }));
}
