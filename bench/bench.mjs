// npm run bench: evalgate's own cost, measured against a local Runware-format simulator in its own
// process (no faults, a fixed latency), with the real CLI in a child process. Prints a table and
// writes bench/results.json. `--quick` runs every scenario small and once: CI's smoke check that the
// benchmark works, not a timing gate. Figures are medians of several runs; the machine is shared.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startSimulator } from './start-simulator.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `--cli <path>`: another build's CLI (dist/bin/evalgate.js, or dist/cli/main.js before the bundle) (an earlier commit's, for a before-and-after in one series).
const cliArg = process.argv.indexOf('--cli');
const CLI = cliArg > 0 ? path.resolve(process.argv[cliArg + 1]) : path.join(root, 'dist/bin/evalgate.js');
const MEASURE = path.join(root, 'bench/measure.mjs');
const quick = process.argv.includes('--quick');
// `--only startup,loading,…`: run just those scenarios (while working on one; the table is partial).
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = onlyArg ? new Set(onlyArg.split(',')) : null;
const wanted = (name) => only === null || only.has(name);
const size = (full, small) => (quick ? small : full);
const REPEATS = size(5, 1);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => bytes / 2 ** 20;

/**
 * Runs the CLI in a child process: wall time from spawn to exit and, with `measure`, the process's
 * own CPU time and peak RSS (bench/measure.mjs, preloaded).
 */
function runCli(args, { cwd = root, env = {}, measure = true } = {}) {
  const measureFile = path.join(tmpdir(), `evalgate-bench-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...(measure ? ['--import', pathToFileURL(MEASURE).href] : []), CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH, ...env, ...(measure ? { EVALGATE_BENCH_MEASURE: measureFile } : {}) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code > 1) return reject(new Error(`evalgate ${args.join(' ')} exited ${code}: ${stderr.slice(-800)}`));
      const usage = measure && existsSync(measureFile) ? JSON.parse(readFileSync(measureFile, 'utf8')) : {};
      rmSync(measureFile, { force: true });
      resolve({ code, wallMs, ...usage });
    });
  });
}


/**
 * A project: `cases` cases × `levels` thinking levels × numberResults `n`, with typical assertions;
 * with `dataFile`, the cases come from a CSV file beside the suite instead of the suite itself.
 */
function writeProject(dir, { cases, levels, n, concurrency, dataFile = false }) {
  mkdirSync(path.join(dir, 'evals'), { recursive: true });
  writeFileSync(path.join(dir, 'evalconfig.yaml'), `concurrency: ${concurrency}\nthreshold: 0\nrequestTimeoutMs: 60000\nretry: {maxAttempts: 2}\n`);
  const lines = [
    'suite: bench',
    'settings: {systemPrompt: "Answer briefly.", maxTokens: 2000}',
    `sweep: {thinkingLevel: [${['none', 'low', 'medium', 'high'].slice(0, levels).join(', ')}], numberResults: [${n}]}`,
    'messages: [{role: user, content: "Question {{i}}: what is {{i}} plus one?"}]',
    'assert:',
    "  - {type: regex, pattern: 'simulated'}",
    '  - {type: contains, value: answer}',
    '  - {type: finishReason, equals: stop}',
    '  - {type: tokens, maxCompletion: 500}',
    ...(dataFile ? ['cases: {file: cases.csv}'] : ['cases:', ...Array.from({ length: cases }, (_, i) => `  - {id: c${i}, vars: {i: ${i}}}`)]),
  ];
  writeFileSync(path.join(dir, 'evals', 'bench.yaml'), `${lines.join('\n')}\n`);
  if (dataFile) writeFileSync(path.join(dir, 'evals', 'cases.csv'), `id,i\n${Array.from({ length: cases }, (_, i) => `c${i},${i}`).join('\n')}\n`);
}

const folderSizes = (dir) => Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(path.join(dir, f)).size]));

/** The run phase of a run folder: from its summary's startedAt to finishedAt. */
function runPhaseMs(out) {
  const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
  return Date.parse(summary.finishedAt) - Date.parse(summary.startedAt);
}

/** Runs a project `REPEATS` times against a simulator at `latencyMs`; `extra` runs beside each (same simulator). */
async function runScenario(name, project, latencyMs, { reporters = 'json', extra, repeats = REPEATS } = {}) {
  const simulator = await startSimulator(CLI, root, latencyMs);
  const dir = mkdtempSync(path.join(tmpdir(), `evalgate-bench-${name}-`));
  writeProject(dir, project);
  const env = { RUNWARE_API_URL: simulator.url, RUNWARE_API_KEY: 'bench' };
  try {
    const results = [];
    for (let i = 0; i < repeats; i++) {
      const out = path.join(dir, `run-${i}`);
      const r = await runCli(['run', '--provider', 'runware', '--out', out, '--quiet', '--no-color', '--reporter', reporters], { cwd: dir, env });
      results.push({ ...r, runPhaseMs: runPhaseMs(out), artefacts: folderSizes(out), out, ...(extra ? await extra(simulator.url) : {}) });
      if (i < repeats - 1) rmSync(out, { recursive: true, force: true });
    }
    return { dir, results };
  } finally {
    simulator.stop();
  }
}

const report = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
  date: new Date().toISOString(),
  quick,
  repeats: REPEATS,
};
const rows = [];

/** Wall time of a bare `node -e 0`: the floor every start-up figure is measured against, in the same series. */
async function bareNodeMs() {
  const started = performance.now();
  await promisify(execFile)(process.execPath, ['-e', '0']);
  return performance.now() - started;
}

// 1. Start-up: wall time of the whole process, nothing preloaded.
if (wanted('startup')) {
  const version = [];
  const validate = [];
  const bare = [];
  for (let i = 0; i < size(10, 2); i++) {
    bare.push(await bareNodeMs());
    version.push((await runCli(['--version'], { measure: false })).wallMs);
    validate.push((await runCli(['validate'], { measure: false })).wallMs);
  }
  report.startup = { versionMs: median(version), validateMs: median(validate), nodeAloneMs: median(bare) };
  rows.push(['start-up: evalgate --version', `${median(version).toFixed(0)} ms`, `node -e 0 alone: ${median(bare).toFixed(0)} ms; target ≤ 150 ms`]);
  rows.push(['start-up: evalgate validate (the examples)', `${median(validate).toFixed(0)} ms`, 'loads and checks every suite and schema']);
}

// 2. Loading: `validate` on a 300-case suite (the concurrency scenario's), on 10,000 cases written in
// the suite and read from a CSV data file, and `estimate` on the 300 cases beside what loading the
// tokenizer and counting alone takes; each beside `node -e 0` in the same series.
if (wanted('loading')) {
  const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-bench-loading-'));
  const projects = {
    small: { cases: size(300, 30), levels: 3, n: 1, concurrency: 50 },
    inline: { cases: size(10_000, 300), levels: 1, n: 1, concurrency: 50 },
    dataFile: { cases: size(10_000, 300), levels: 1, n: 1, concurrency: 50, dataFile: true },
  };
  for (const [name, project] of Object.entries(projects)) writeProject(path.join(dir, name), project);
  const times = { bare: [], small: [], inline: [], dataFile: [], estimate: [], tokenizer: [] };
  const tokenizerAlone = ["const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');", `for (let i = 0; i < ${projects.small.cases}; i++) countTokens('Question ' + i + ': what is ' + i + ' plus one?');`].join('');
  for (let i = 0; i < size(7, 1); i++) {
    times.bare.push(await bareNodeMs());
    for (const name of Object.keys(projects)) times[name].push((await runCli(['validate'], { cwd: path.join(dir, name), measure: false })).wallMs);
    times.estimate.push((await runCli(['estimate'], { cwd: path.join(dir, 'small'), measure: false })).wallMs);
    const started = performance.now();
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', tokenizerAlone], { cwd: root });
    times.tokenizer.push(performance.now() - started - median(times.bare));
  }
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  report.loading = { nodeAloneMs: m.bare, validate300Ms: m.small, validate10kInlineMs: m.inline, validate10kDataFileMs: m.dataFile, estimate300Ms: m.estimate, tokenizerMs: m.tokenizer, estimateBeyondTokenizerMs: m.estimate - m.tokenizer };
  const beside = `node -e 0: ${m.bare.toFixed(0)} ms`;
  rows.push([`loading: validate, ${projects.small.cases}-case suite`, `${m.small.toFixed(0)} ms`, `${beside}; target ≤ 150 ms`]);
  rows.push([`loading: validate, ${projects.inline.cases} cases in the suite`, `${m.inline.toFixed(0)} ms`, `${beside}; target ≤ 1 s`]);
  rows.push([`loading: validate, ${projects.dataFile.cases} cases from a CSV file`, `${m.dataFile.toFixed(0)} ms`, `${beside}; target ≤ 1 s`]);
  rows.push([`loading: estimate, ${projects.small.cases}-case suite`, `${m.estimate.toFixed(0)} ms`, `tokenizer load + counting alone ${m.tokenizer.toFixed(0)} ms; the rest ${(m.estimate - m.tokenizer).toFixed(0)} ms (target ≤ 300)`]);
  rmSync(dir, { recursive: true, force: true });
}

// 3. Overhead: samples at 0 ms latency; CPU of the evalgate process alone, start-up included.
if (wanted('overhead')) {
  const samples = size(10_000, 800);
  const { dir, results } = await runScenario('overhead', { cases: samples / 16, levels: 4, n: 4, concurrency: 64 }, 0);
  const cpu = median(results.map((r) => r.cpuMs / samples));
  const wall = median(results.map((r) => r.wallMs));
  report.overhead = { samples, concurrency: 64, wallMs: wall, samplesPerSecond: samples / (wall / 1000), cpuMsPerSample: cpu };
  rows.push([`overhead: ${samples} samples, 0 ms latency, concurrency 64`, `${(wall / 1000).toFixed(2)} s · ${Math.round(samples / (wall / 1000))} samples/s`, `${cpu.toFixed(3)} ms CPU per sample, start-up included (target ≤ 0.3)`]);
  rmSync(dir, { recursive: true, force: true });
}

// 4. Concurrency efficiency: 900 trials (300 cases × 3 levels) at 200 ms and concurrency 50, the whole
// process against the ideal `trials × latency / concurrency` and against a bare undici client doing the
// same requests in its own process (bench/raw-client.mjs), run right after each evalgate run.
if (wanted('concurrency')) {
  const trials = size(900, 150);
  const latency = 200;
  const concurrency = 50;
  const raw = async (url) => {
    const started = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'bench/raw-client.mjs'), url, String(trials), String(concurrency)]);
    return { rawWallMs: JSON.parse(stdout).wallMs, rawProcessMs: performance.now() - started };
  };
  const { dir, results } = await runScenario('concurrency', { cases: trials / 3, levels: 3, n: 1, concurrency }, latency, { extra: raw, repeats: size(7, 1) });
  const ideal = (trials * latency) / concurrency;
  const phase = median(results.map((r) => r.runPhaseMs));
  const wall = median(results.map((r) => r.wallMs));
  const rawWall = median(results.map((r) => r.rawWallMs));
  const rawProcess = median(results.map((r) => r.rawProcessMs));
  const againstRaw = median(results.map((r) => r.wallMs / r.rawProcessMs));
  report.concurrency = { trials, latencyMs: latency, concurrency, idealMs: ideal, runPhaseMs: phase, processWallMs: wall, rawClientWallMs: rawWall, rawClientProcessMs: rawProcess, runPhaseRatio: phase / ideal, processRatio: wall / ideal, rawClientRatio: rawProcess / ideal, processToRawClientProcess: againstRaw };
  rows.push([`concurrency: ${trials} trials × ${latency} ms at ${concurrency}`, `run ${(phase / 1000).toFixed(2)} s · process ${(wall / 1000).toFixed(2)} s`, `ideal ${(ideal / 1000).toFixed(2)} s: run ${(phase / ideal).toFixed(3)}×, process ${(wall / ideal).toFixed(3)}× (target ≤ 1.10); bare undici process ${(rawProcess / ideal).toFixed(3)}×; evalgate/bare ${againstRaw.toFixed(3)} (target ≤ 1.03)`]);
  rmSync(dir, { recursive: true, force: true });
}

// 5. Scale: 100,000 samples with every reporter; 6. every report rebuilt from its results.jsonl.
if (wanted('scale')) {
  const samples = size(100_000, 4_000);
  const { dir, results } = await runScenario('scale', { cases: samples / 16, levels: 4, n: 4, concurrency: 64 }, 0, { reporters: 'console,json,junit,markdown,html' });
  const last = results.at(-1);
  const rss = median(results.map((r) => r.rssMb));
  report.scale = { samples, peakRssMb: rss, wallMs: median(results.map((r) => r.wallMs)), cpuMs: median(results.map((r) => r.cpuMs)), artefactBytes: last.artefacts };
  const sizes = ['results.jsonl', 'summary.json', 'report.html'].map((f) => `${f} ${mb(last.artefacts[f]).toFixed(1)} MB`).join(', ');
  rows.push([`scale: ${samples} samples (numberResults 4), every reporter`, `peak RSS ${rss.toFixed(0)} MB · ${(report.scale.wallMs / 1000).toFixed(1)} s`, `${sizes} (target RSS ≤ 120 MB)`]);

  const rebuilt = [];
  for (let i = 0; i < REPEATS; i++) rebuilt.push(await runCli(['report', last.out, '--no-color'], { cwd: dir }));
  const html = statSync(path.join(last.out, 'report.html')).size;
  report.reports = { wallMs: median(rebuilt.map((r) => r.wallMs)), peakRssMb: median(rebuilt.map((r) => r.rssMb)), htmlBytes: html };
  rows.push([`reports: every report from ${samples} samples`, `${(report.reports.wallMs / 1000).toFixed(2)} s · RSS ${report.reports.peakRssMb.toFixed(0)} MB`, `report.html ${mb(html).toFixed(1)} MB (target < 20 MB)`]);
  const opened = await openInBrowser(path.join(last.out, 'report.html'));
  if (opened !== null) {
    report.reports.htmlOpenMs = opened;
    rows.push(['report.html opens in Chromium', `${opened.toFixed(0)} ms`, 'to the charts and first table rows drawn (target < 2 s)']);
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Median time for headless Chromium to load report.html and draw it, or null without Chromium. */
async function openInBrowser(file) {
  const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!chromiumPath) return null;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const times = [];
    for (let i = 0; i < Math.max(3, REPEATS); i++) {
      const page = await browser.newPage();
      const started = performance.now();
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('table.matrix tbody tr');
      times.push(performance.now() - started);
      await page.close();
    }
    return median(times);
  } finally {
    await browser.close();
  }
}

const width = Math.max(...rows.map((r) => r[0].length));
console.log(`\nevalgate bench${quick ? ' (quick)' : ''} on ${report.machine.cpus} × ${report.machine.cpu}, ${report.machine.memoryGb} GB, Node ${report.machine.node}; medians of ${REPEATS} run${REPEATS === 1 ? '' : 's'}\n`);
for (const [what, figure, note] of rows) console.log(`${what.padEnd(width)}  ${figure.padEnd(34)}  ${note}`);
const resultsFile = process.env.EVALGATE_BENCH_RESULTS ?? path.join(root, 'bench/results.json');
writeFileSync(resultsFile, `${JSON.stringify({ ...report, cli: CLI }, null, 2)}\n`);
console.log(`\nwrote ${path.relative(root, resultsFile) || resultsFile}`);
