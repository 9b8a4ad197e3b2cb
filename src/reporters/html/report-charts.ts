/// <reference lib="dom" />
import type { ReportData } from './report-data.js';

type Group = ReportData['groups'][number];

/** What the charts borrow from the page's script: its element builders and number formats. */
export interface ChartKit {
  el: <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, ...children: (Node | string | null)[]) => HTMLElementTagNameMap[K];
  svg: (tag: string, attrs?: Record<string, string | number>, text?: string) => Element;
  pct: (v: number | null | undefined, digits?: number) => string;
  usd: (v: number | null | undefined) => string;
  ms: (v: number | null | undefined) => string;
  settingLabel: (g: { model: string; thinkingLevel: string; numberResults: number }) => string;
  isBelow: (g: Group) => boolean;
}

/**
 * The charts of report.html, inlined into the page as the source of this one function beside
 * reportClient (see render-html.ts): like it, self-contained, with no references outside its body
 * but the kit it is given. Labels are only ever set as text.
 */
export function reportCharts(kit: ChartKit) {
  const { el, svg, pct, usd, ms, settingLabel, isBelow } = kit;
  const PALETTE = ['#2563eb', '#d97706', '#7c3aed', '#059669', '#db2777', '#0891b2'];
  // Text boxes are estimated (10px labels: at most 6px a character, 11px a line), so labels are placed
  // before the page lays them out, and never on top of one another.
  const CHAR_W = 6, LINE_H = 11;
  type Box = { x0: number; y0: number; x1: number; y1: number };
  const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  const textBox = (x: number, y: number, text: string, anchor: 'start' | 'middle' | 'end'): Box => {
    const w = text.length * CHAR_W;
    const x0 = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
    return { x0, y0: y - LINE_H + 2, x1: x0 + w, y1: y + 3 };
  };

  /** Log-axis ticks whose labels do not touch: 1-2-5 per decade, else 1 per decade, else every k-th decade. */
  const logTicks = (lo: number, hi: number, px: (v: number) => number, formatX: (v: number) => string): number[] => {
    const candidates = (multipliers: number[], step: number) => {
      const out: number[] = [];
      for (let e = Math.floor(lo); e <= Math.ceil(hi); e += step) for (const m of multipliers) if (Math.log10(m * 10 ** e) >= lo && Math.log10(m * 10 ** e) <= hi) out.push(m * 10 ** e);
      return out;
    };
    const isClear = (ticks: number[]) => ticks.every((v, i) => i === 0 || px(v) - px(ticks[i - 1]!) >= ((formatX(v).length + formatX(ticks[i - 1]!).length) * CHAR_W) / 2 + 6);
    for (const [multipliers, step] of [[[1, 2, 5], 1], [[1], 1], [[1], 2], [[1], 3], [[1], 5]] as const) {
      const ticks = candidates([...multipliers], step);
      if (isClear(ticks)) return ticks;
    }
    return candidates([1], 10);
  };

  // A scatter of pass rate (with its interval) against a cost or latency, log scale.
  const scatter = (groups: Group[], title: string, x: (g: Group) => number | null, formatX: (v: number) => string, threshold: number, recommended: ReportData['suiteDetails'][number]['cheapest']) => {
    const W = 440, H = 260, L = 48, R = 16, T = 14, B = 40;
    const points = groups.filter((g) => g.passRate !== null && (x(g) ?? 0) > 0);
    const figure = el('figure', { class: 'chart' }, el('figcaption', {}, title));
    const plot = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title });
    figure.append(plot);
    if (points.length === 0) return figure;
    const xs = points.map((g) => x(g)!);
    const lo = Math.log10(Math.min(...xs) / 1.6), hi = Math.log10(Math.max(...xs) * 1.6);
    const px = (v: number) => L + ((Math.log10(v) - lo) / (hi - lo || 1)) * (W - L - R);
    const py = (v: number) => T + (1 - v) * (H - T - B);
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      plot.append(svg('line', { x1: L, x2: W - R, y1: py(t), y2: py(t), class: 'grid' }));
      plot.append(svg('text', { x: L - 6, y: py(t) + 4, 'text-anchor': 'end', class: 'tick' }, `${t * 100}%`));
    }
    for (const v of logTicks(lo, hi, px, formatX)) {
      plot.append(svg('line', { x1: px(v), x2: px(v), y1: T, y2: H - B, class: 'grid' }));
      plot.append(svg('text', { x: px(v), y: H - B + 16, 'text-anchor': 'middle', class: 'tick' }, formatX(v)));
    }
    plot.append(svg('line', { x1: L, x2: W - R, y1: py(threshold), y2: py(threshold), class: 'threshold' }));
    const thresholdText = `threshold ${pct(threshold, 0)}`;
    plot.append(svg('text', { x: W - R, y: py(threshold) - 4, 'text-anchor': 'end', class: 'tick' }, thresholdText));
    // What labels must not cover: the threshold's label and every dot.
    const taken: Box[] = [textBox(W - R, py(threshold) - 4, thresholdText, 'end'), ...points.map((g) => ({ x0: px(x(g)!) - 6, y0: py(g.passRate!) - 6, x1: px(x(g)!) + 6, y1: py(g.passRate!) + 6 }))];
    const unlabelled: string[] = [];
    const models = [...new Set(groups.map((g) => g.model))];
    // The recommendation of summary.json (a model × level, pooled over numberResults): every point of it ringed.
    const isCheapest = (g: Group) => recommended !== null && g.model === recommended.model && g.thinkingLevel === recommended.thinkingLevel;
    for (const g of points) {
      const cx = px(x(g)!), cy = py(g.passRate!);
      const color = PALETTE[models.indexOf(g.model) % PALETTE.length]!;
      if (g.passRateCi95) plot.append(svg('line', { x1: cx, x2: cx, y1: py(g.passRateCi95[0]), y2: py(g.passRateCi95[1]), stroke: color, class: 'whisker' }));
      if (isCheapest(g)) plot.append(svg('circle', { cx, cy, r: 10, class: 'cheapest' }));
      const dot = svg('circle', { cx, cy, r: 5, fill: isBelow(g) ? '#fff' : color, stroke: isBelow(g) ? '#dc2626' : color, 'stroke-width': 2 });
      dot.append(svg('title', {}, `${settingLabel(g)}: ${pct(g.passRate)} (95% CI ${g.passRateCi95 ? `${pct(g.passRateCi95[0], 0)}–${pct(g.passRateCi95[1], 0)}` : '—'}), ${formatX(x(g)!)}`));
      plot.append(dot);
      const label = `${g.thinkingLevel}${models.length > 1 ? ` ${g.model}` : ''}${new Set(groups.map((h) => h.numberResults)).size > 1 ? ` n${g.numberResults}` : ''}`;
      // Right of the dot, then left, above, below: the first place inside the plot that covers nothing.
      // Then a row further out, and last against the plot's right edge (for a dot near it).
      const places = [
        [cx + 8, cy - 6, 'start'], [cx + 8, cy + 12, 'start'], [cx - 8, cy - 6, 'end'], [cx - 8, cy + 12, 'end'], [cx, cy - 10, 'middle'], [cx, cy + 18, 'middle'],
        [cx + 8, cy + 24, 'start'], [cx - 8, cy + 24, 'end'], [cx, cy + 30, 'middle'], [cx, cy - 22, 'middle'],
        [W - R, cy + 18, 'end'], [W - R, cy + 30, 'end'], [W - R, cy - 10, 'end'],
      ] as const;
      const place = places
        .map(([lx, ly, anchor]) => ({ x: lx, y: ly, anchor, box: textBox(lx, ly, label, anchor) }))
        .find((p) => p.box.x0 >= L && p.box.x1 <= W && p.box.y0 >= 0 && p.box.y1 <= H - B && !taken.some((t) => overlaps(t, p.box)));
      if (!place) {
        unlabelled.push(settingLabel(g));
        continue;
      }
      taken.push(place.box);
      plot.append(svg('text', { x: place.x, y: place.y, 'text-anchor': place.anchor, class: 'label' }, label));
    }
    if (unlabelled.length > 0) figure.append(el('p', { class: 'meta' }, `Not labelled for want of room (hover a dot for its setting): ${unlabelled.join('; ')}`));
    figure.append(
      el('p', { class: 'meta' }, recommended
        ? `◎ cheapest setting that meets the threshold with 95% confidence: ${recommended.model} · ${recommended.thinkingLevel} (${usd(recommended.costPerSampleUsd)} a sample${recommended.plans.length > 1 ? `, pooled over numberResults ${recommended.plans.map((p) => p.numberResults).join(', ')}` : ''})`
        : 'No setting meets the threshold with 95% confidence yet.'),
    );
    return figure;
  };

  // Latency distributions, one row per setting, bins shared by the run.
  const distributions = (groups: Group[]) => {
    const figure = el('figure', { class: 'chart wide' }, el('figcaption', {}, 'Latency distribution per setting (request time, log scale)'));
    const edges = groups.find((g) => g.latencyHistogram.edgesMs.length > 1)?.latencyHistogram.edgesMs ?? [];
    if (edges.length < 2) return figure;
    const W = 900, row = 26, L = 260, T = 6, B = 28;
    const H = T + B + row * groups.length;
    const plot = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'latency distributions' });
    const bins = edges.length - 1;
    const bw = (W - L - 10) / bins;
    groups.forEach((g, i) => {
      const y = T + i * row;
      plot.append(svg('text', { x: L - 8, y: y + row / 2 + 4, 'text-anchor': 'end', class: 'tick' }, settingLabel(g)));
      const peak = Math.max(1, ...g.latencyHistogram.counts);
      g.latencyHistogram.counts.forEach((n, b) => {
        if (n === 0) return;
        const h = (n / peak) * (row - 6);
        const bar = svg('rect', { x: L + b * bw, y: y + row - 3 - h, width: Math.max(1, bw - 1), height: h, class: 'bar' });
        bar.append(svg('title', {}, `${n} samples in ${Math.round(edges[b]!)}–${Math.round(edges[b + 1]!)} ms`));
        plot.append(bar);
      });
      if (g.latencyMs.p95 !== null) {
        const at = edges.findIndex((e) => e > g.latencyMs.p95!);
        const bx = L + (at < 0 ? bins : Math.max(0, at - 1)) * bw;
        plot.append(svg('line', { x1: bx, x2: bx, y1: y + 2, y2: y + row - 2, class: 'p95' }));
      }
    });
    for (let b = 0; b <= bins; b += Math.max(1, Math.floor(bins / 6))) {
      // The last edge's label ends at the plot's edge rather than running past it.
      plot.append(svg('text', { x: L + b * bw, y: H - 8, 'text-anchor': L + b * bw + 30 > W ? 'end' : 'middle', class: 'tick' }, ms(edges[b])));
    }
    figure.append(plot, el('p', { class: 'meta' }, 'Bars: samples per latency bin, scaled per row. Red tick: p95.'));
    return figure;
  };

  return { scatter, distributions };
}
