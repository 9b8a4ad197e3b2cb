/// <reference lib="dom" />
import type { reportCharts } from './report-charts.js';
import type { ListedCases, ReportData } from './report-data.js';

/** The functions inlined into the page beside reportClient, handed to it (no imports at run time). */
export interface ReportParts {
  charts: typeof reportCharts;
}

/**
 * The script of report.html. It is inlined into the page as the source of this one function, so it
 * must stay self-contained: no imports at run time, no references outside its body. It builds the
 * page from the embedded data with DOM calls only; model text is only ever set as textContent, so no
 * output, however hostile, becomes markup.
 */
export function reportClient(data: ReportData, parts: ReportParts): void {
  const SVG = 'http://www.w3.org/2000/svg';
  /** Rows of the cases table drawn at first, and per "show more". */
  const FIRST_ROWS = 200;
  const MORE_ROWS = 1000;
  type Group = ReportData['groups'][number];
  type Case = ReportData['cases'][number];

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string | null)[]) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const child of children) if (child !== null) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    return node;
  };
  const svg = (tag: string, attrs: Record<string, string | number> = {}, text?: string) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const pct = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(digits)}%`);
  const usd = (v: number | null | undefined) => {
    if (v === null || v === undefined) return '—';
    if (v === 0) return '$0';
    if (Math.abs(v) >= 100) return `$${Math.round(v).toLocaleString('en-US')}`;
    const decimals = Math.min(20, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v)))));
    return `$${v.toFixed(decimals).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`;
  };
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v).toLocaleString('en-US')} ms`);
  // core/setting.ts's settingLabel, repeated: this script runs in the page and imports nothing.
  const settingLabel = (g: { model: string; thinkingLevel: string; numberResults: number }) => `${g.model} · ${g.thinkingLevel} · n=${g.numberResults}`;
  // Decided by the gate (threshold-verdict.ts), in the data: the page never judges a setting itself.
  const isBelow = (g: Group) => g.isBelow;
  const cheapestOf = (suite: string) => data.suiteDetails.find((d) => d.suite === suite)?.cheapest ?? null;

  const { scatter, distributions } = parts.charts({ el, svg, pct, usd, ms, settingLabel, isBelow });
  const root = document.getElementById('app')!;

  // Verdict and totals.
  const { gate, totals } = data.meta;
  const verdict = el('section', { class: `verdict ${gate.passed ? 'pass' : 'fail'}`, id: 'verdict' },
    el('h1', {}, gate.passed ? 'Gate passed' : data.meta.interrupted ? 'Run interrupted' : 'Gate failed', el('span', { class: 'exit' }, ` exit ${gate.exitCode}`)),
    el('p', { class: 'meta' }, `run ${data.meta.runId} · provider ${data.meta.provider} · ${data.meta.startedAt.replace('T', ' ').slice(0, 19)} UTC`),
  );
  if (data.meta.simulated) {
    const source = data.meta.provider === 'replay' ? 'Answers replayed from a simulated recording (the built-in simulator)' : 'Simulated answers from the built-in simulator';
    verdict.append(el('p', { class: 'simulated' }, `${source}, not a real model: costs and latencies are illustrative.`));
  }
  if (data.placeholders) verdict.append(el('p', { class: 'placeholders' }, `⚠ ${data.placeholders}`));
  if (gate.reasons.length) verdict.append(el('ul', {}, ...gate.reasons.map((r) => el('li', {}, r.message))));
  if (gate.notices && gate.notices.length) {
    verdict.append(el('details', { class: 'notices' }, el('summary', {}, `Notices (said, not failed): ${gate.notices.length}`), el('ul', {}, ...gate.notices.map((n) => el('li', {}, n.message)))));
  }
  verdict.append(
    el('p', { class: 'totals' },
      `${totals.samples} samples · ${totals.passed} passed · ${totals.failed} failed · ${totals.errored} errored · ${totals.retries} retries · ` +
        `pass rate ${pct(totals.passRate)} · ${usd(totals.costUsd)} · p50 ${ms(totals.latencyMs.p50)} · p95 ${ms(totals.latencyMs.p95)}`),
  );
  if (totals.judgeCostUsd !== undefined && totals.judge) {
    // Grading is paid apart from the answers; the settings' $/sample above stay the answers' own.
    const j = totals.judge;
    verdict.append(
      el('p', { class: 'totals judge' },
        `Judge: ${j.calls} calls${j.cachedCalls ? ` (${j.cachedCalls} cached, not paid again)` : ''} · ${usd(totals.judgeCostUsd)}, apart from the answers' ${usd(totals.costUsd)} · ` +
          `run total ${usd(totals.costUsd + totals.judgeCostUsd)}${j.unsureSamples ? ` · ${j.unsureSamples} samples judge unsure` : ''}`),
    );
  }
  root.append(verdict);

  // Against the baseline: per setting its change, adjusted p, verdict, and the smallest drop it can see.
  if (data.comparison) {
    const c = data.comparison;
    root.append(el('section', { class: 'comparison', id: 'comparison' },
      el('h2', {}, `Against baseline ${c.baselineRunId}`),
      el('p', { class: 'meta' }, c.summary),
      el('table', { class: 'settings' },
        el('thead', {}, el('tr', {}, ...['setting', 'gated', 'pass rate', 'p (Holm)', 'verdict', 'detects drops of (80% power)'].map((h) => el('th', {}, h)))),
        el('tbody', {}, ...c.settings.map((g) => el('tr', {},
          el('td', {}, g.label), el('td', {}, g.gated ? 'yes' : 'no'), el('td', {}, g.change), el('td', {}, g.p.toPrecision(2)),
          el('td', {}, g.regressions.length ? `regressed: ${g.regressions.join(', ')}` : g.verdict),
          el('td', {}, g.minDetectableDrop === null ? '–' : `≥ ${pct(g.minDetectableDrop)}`),
        ))))));
  }

  // With --until-decided: per setting, when and on what evidence sampling stopped, and what it saved.
  if (data.sequential) {
    const q = data.sequential;
    root.append(el('section', { class: 'sequential', id: 'sequential' },
      el('h2', {}, 'Sampled until decided'),
      el('p', {}, `${q.totals.charAt(0).toUpperCase()}${q.totals.slice(1)}.`),
      el('p', { class: 'meta' }, `${q.about.charAt(0).toUpperCase()}${q.about.slice(1)}.`),
      el('table', { class: 'settings facts' },
        el('thead', {}, el('tr', {}, ...q.head.map((h) => el('th', {}, h)))),
        el('tbody', {}, ...q.rows.map((r) => el('tr', { class: r.gated && r.verdict === 'fails' ? 'below' : '', 'data-verdict': r.verdict }, ...r.cells.map((c) => el('td', {}, c))))))));
  }

  // Cost beside the estimate, price-table disagreements, and the projection to production traffic.
  const { notes, projection } = data.cost;
  if (notes.length || projection) {
    const cost = el('section', { class: 'cost', id: 'cost' }, el('h2', {}, 'Cost'), ...notes.map((n) => el('p', { class: n.warn ? 'warn' : '' }, n.text)));
    if (projection) {
      const range = (v: { expected: number; ci95: [number, number] }) => `${usd(v.expected)} (${usd(v.ci95[0])}–${usd(v.ci95[1])})`;
      cost.append(el('h3', {}, projection.title), projection.groups.length === 0
        ? el('p', { class: 'meta' }, 'No setting has two samples with a cost to project from.')
        : el('table', { class: 'settings' },
          el('thead', {}, el('tr', {}, ...['suite', 'model', 'level', 'samples', '$/request', 'p95 $/request', 'per day', 'per month'].map((h) => el('th', {}, h)))),
          el('tbody', {}, ...projection.groups.map((g) => el('tr', {},
            el('td', {}, g.suite), el('td', {}, g.model), el('td', {}, g.thinkingLevel), el('td', {}, String(g.samples)),
            el('td', {}, usd(g.costPerRequestUsd.mean)), el('td', {}, usd(g.costPerRequestUsd.p95)), el('td', {}, range(g.perDayUsd)), el('td', {}, range(g.perMonthUsd)),
          )))));
    }
    root.append(cost);
  }

  // The drill-down dialog, shared by every cell.
  const dialog = el('dialog', { id: 'drilldown' });
  root.append(dialog);
  const openCase = (c: Case) => {
    dialog.replaceChildren();
    const close = el('button', { class: 'close', type: 'button', 'aria-label': 'Close' }, '×');
    close.addEventListener('click', () => dialog.close());
    const g = data.groups[c.group]!;
    dialog.append(close, el('h2', {}, `${g.suite}/${c.case}`), el('p', { class: 'meta' }, settingLabel(g)));
    const completed = c.passed + c.failed;
    dialog.append(
      el('p', {}, `${c.passed}/${completed} completed samples passed${c.errored ? ` · ${c.errored} errored` : ''}${c.passed > 0 && c.failed > 0 ? ' · flaky' : ''}`),
    );
    if (c.curve) {
      const { k } = c.curve;
      dialog.append(el('p', { class: 'meta' }, `pass@1 ${pct(c.curve.passAt1)} · pass@${k} ${pct(c.curve.passAtK)} · pass^${k} ${pct(c.curve.passHatK)}`));
    }
    if (c.prompt) {
      const asked = el('details', { class: 'prompt', open: '' }, el('summary', {}, 'What was asked'));
      if (c.prompt.systemPrompt !== null) asked.append(el('p', { class: 'role' }, 'system'), el('pre', { class: 'text' }, c.prompt.systemPrompt));
      for (const m of c.prompt.messages) asked.append(el('p', { class: 'role' }, m.role), el('pre', { class: 'text' }, m.content));
      if (c.prompt.vars) asked.append(el('p', { class: 'role' }, 'vars'), el('pre', { class: 'text vars' }, Object.entries(c.prompt.vars).map(([k, v]) => `${k}: ${String(v)}`).join('\n')));
      dialog.append(asked);
    }
    for (const s of c.samples ?? []) {
      const status = s.status === 'errored' ? 'errored' : s.pass ? 'passed' : 'failed';
      const head = el('div', { class: 'sample-head' },
        el('strong', {}, `sample ${s.repeat > 0 ? `${s.repeat + 1}.` : ''}${s.sampleIndex + 1}`),
        el('span', { class: `badge ${status}` }, status),
        s.finishReason ? el('span', {}, `finish ${s.finishReason}`) : null,
        s.usage ? el('span', {}, `tokens ${s.usage.promptTokens} in · ${s.usage.completionTokens} out · ${s.usage.thinkingTokens} thinking`) : null,
        el('span', {}, usd(s.costUsd)),
        el('span', {}, ms(s.latencyMs)),
      );
      const card = el('article', { class: `sample ${status}` }, head);
      if (s.error) card.append(el('p', { class: 'error' }, `${s.error.code}: ${s.error.message}`));
      if (s.assertions.length) {
        card.append(el('ul', { class: 'assertions' }, ...s.assertions.map((a) => el('li', { class: a.pass ? 'ok' : 'ko' }, `${a.pass ? '✓' : a.errored ? '!' : '✗'} ${a.type}: ${a.message}`))));
      }
      if (s.text !== null) card.append(el('pre', { class: 'text' }, s.text));
      if (s.truncatedChars > 0) card.append(el('p', { class: 'meta' }, `… ${s.truncatedChars.toLocaleString('en-US')} more characters in results.jsonl`));
      dialog.append(card);
    }
    if (c.omittedSamples > 0) dialog.append(el('p', { class: 'meta' }, `${c.omittedSamples} more samples of this case are in results.jsonl.`));
    dialog.showModal();
  };

  // The figures that do not fit the settings table, formatted by the same code as summary.md's.
  const detailsTable = (details: ReportData['suiteDetails'][number]['settings']) => el('div', { class: 'details' },
    el('h3', {}, 'Settings in detail'),
    el('div', { class: 'scroll' }, el('table', { class: 'settings details' },
      el('thead', {}, el('tr', {}, ...details.head.map((h) => el('th', {}, h)))),
      el('tbody', {}, ...details.rows.map((row) => el('tr', {}, ...row.map((c) => el('td', {}, c))))))),
    ...details.notes.map((note) => el('p', { class: 'meta' }, note)),
  );

  // A bounded list of cases, each opening its drill-down; nothing when there are none.
  const caseList = (title: string, kind: string, listed: ListedCases) => {
    const total = listed.cases.length + listed.more;
    if (total === 0) return [];
    const block = el('div', { class: `case-list ${kind}` }, el('h3', {}, `${title} (${total})`));
    const list = el('ul', {}, ...listed.cases.map(({ index, firstFailure }) => {
      const c = data.cases[index]!;
      const g = data.groups[c.group]!;
      const open = el('button', { type: 'button', class: 'case-link' }, c.case);
      open.addEventListener('click', () => openCase(c));
      return el('li', {}, open, ` · ${settingLabel(g)} · ${c.passed}/${c.passed + c.failed} passed`, firstFailure ? el('span', { class: 'meta' }, ` — ${firstFailure}`) : null);
    }));
    if (listed.more > 0) list.append(el('li', { class: 'meta' }, `… and ${listed.more} more (in the table below)`));
    block.append(list);
    return [block];
  };

  for (const suite of data.suites) {
    const groups = data.groups.filter((g) => g.suite === suite.name);
    if (groups.length === 0) continue;
    const section = el('section', { class: 'suite' }, el('h2', {}, suite.name, el('span', { class: 'meta' }, ` ${suite.file} · threshold ${pct(suite.threshold, 0)}`)));
    section.append(
      el('div', { class: 'charts' },
        scatter(groups, 'Pass rate (95% CI) against cost per sample', (g) => g.costPerSampleUsd, usd, suite.threshold, cheapestOf(suite.name)),
        scatter(groups, 'Pass rate (95% CI) against p95 latency', (g) => g.latencyMs.p95, ms, suite.threshold, cheapestOf(suite.name)),
      ),
      distributions(groups),
    );
    const settingsTable = el('table', { class: 'settings' },
      el('thead', {}, el('tr', {}, ...['setting', 'samples', 'pass rate', '95% CI', 'errored', '$/sample', '$/1k requests', 'p50', 'p95', 'think tok'].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...groups.map((g) => el('tr', { class: isBelow(g) ? 'below' : '' },
        el('td', {}, settingLabel(g)), el('td', {}, String(g.samples)), el('td', {}, `${pct(g.passRate)} ${g.passRate === null ? '' : isBelow(g) ? '✗' : '✓'}`),
        el('td', {}, g.passRateCi95 ? `${pct(g.passRateCi95[0], 0)}–${pct(g.passRateCi95[1], 0)}` : '—'), el('td', {}, String(g.errored)),
        el('td', {}, usd(g.costPerSampleUsd)), el('td', {}, usd(g.costPer1kRequestsUsd)), el('td', {}, ms(g.latencyMs.p50)), el('td', {}, ms(g.latencyMs.p95)),
        el('td', {}, g.meanThinkingTokens === null ? '—' : String(Math.round(g.meanThinkingTokens))),
      ))),
    );
    section.append(settingsTable);
    const extra = data.suiteDetails.find((d) => d.suite === suite.name);
    if (extra) section.append(detailsTable(extra.settings), ...caseList('Failing on every sample', 'failing', extra.failing), ...caseList('Flaky (samples disagree)', 'flaky', extra.flaky), ...caseList('Judge unsure (its verdicts split)', 'judge-unsure', extra.judgeUnsure));

    const groupIndexes = new Set(groups.map((g) => data.groups.indexOf(g)));
    const cases = data.cases.filter((c) => groupIndexes.has(c.group));
    const byCase = new Map<string, Case[]>();
    for (const c of cases) {
      const list = byCase.get(c.case);
      if (list) list.push(c);
      else byCase.set(c.case, [c]);
    }
    // Cases with a failed or errored sample first (they are what a reader looks for), then by id.
    const isTroubled = (id: string) => byCase.get(id)!.some((c) => c.failed > 0 || c.errored > 0);
    const caseIds = [...byCase.keys()].sort((a, b) => Number(isTroubled(b)) - Number(isTroubled(a)) || (a < b ? -1 : a > b ? 1 : 0));
    const troubled = caseIds.filter(isTroubled).length;
    const manyModels = new Set(groups.map((h) => h.model)).size > 1;
    const matrix = el('table', { class: 'matrix' },
      el('thead', {}, el('tr', {}, el('th', {}, 'case'), ...groups.map((g) => el('th', {}, `${g.thinkingLevel} · n=${g.numberResults}${manyModels ? ` · ${g.model}` : ''}`)))),
    );
    const body = el('tbody');
    const rowOf = (id: string) => {
      const row = el('tr', {}, el('th', { scope: 'row' }, id));
      const cells = byCase.get(id)!;
      for (const g of groups) {
        const index = data.groups.indexOf(g);
        const c = cells.find((x) => x.group === index);
        if (!c) {
          row.append(el('td', {}, ''));
          continue;
        }
        const completed = c.passed + c.failed;
        const share = completed ? c.passed / completed : null;
        const button = el('button', { type: 'button', class: 'cell', 'data-case': `${g.suite}/${c.case}`, 'data-setting': settingLabel(g) },
          completed ? `${c.passed}/${completed}${c.passed > 0 && c.failed > 0 ? ' ~' : ''}` : '—', c.errored ? el('small', {}, ` ${c.errored} err`) : null);
        if (share !== null) button.style.background = `hsl(${Math.round(share * 120)} 70% 88%)`;
        button.addEventListener('click', () => openCase(c));
        row.append(el('td', {}, button));
      }
      return row;
    };
    // Rows are drawn a page at a time: a run of thousands of cases opens as fast as a small one.
    let shown = 0;
    const more = el('button', { type: 'button', class: 'more' });
    const showMore = () => {
      const next = caseIds.slice(shown, shown + (shown === 0 ? FIRST_ROWS : MORE_ROWS));
      for (const id of next) body.append(rowOf(id));
      shown += next.length;
      more.textContent = `Show ${Math.min(MORE_ROWS, caseIds.length - shown)} more of ${caseIds.length - shown} cases`;
      more.hidden = shown >= caseIds.length;
    };
    more.addEventListener('click', showMore);
    showMore();
    matrix.append(body);
    section.append(
      el('h3', {}, 'Cases × settings (passed/completed; ~ flaky; click for the samples)'),
      el('p', { class: 'meta' }, `${caseIds.length} cases; ${troubled} with a failed or errored sample, listed first.`),
      el('div', { class: 'scroll' }, matrix),
      more,
    );
    root.append(section);
  }
}
