// npm run bench: evalgate's own cost, measured against a local Runware-format simulator in its own
// process, with the real CLI in a child process. Prints a table and writes bench/results.json.
// `--quick` runs every scenario small (CI's smoke check: it works, not a timing gate).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'dist/cli/main.js');
const quick = process.argv.includes('--quick');
const size = (full, small) => (quick ? small : full);
const REPEATS = size(5, 1);

/** Runs the CLI under GNU time; returns wall ms, CPU ms (user + sys) and peak RSS in MB. */
function timed(args, cwd, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'TIME %U %S %M', process.execPath, CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      const m = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (!m) return reject(new Error(`no timing for evalgate ${args.join(' ')} (exit ${code}): ${stderr.slice(-500)}`));
      resolve({ code, wallMs, cpuMs: (Number(m[1]) + Number(m[2])) * 1000, rssMb: Number(m[3]) / 1024 });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Starts `evalgate simulate` in its own process and resolves to its URL. */
function startSimulator(fixedLatencyMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'simulate', '--port', '0', '--fixed-latency-ms', String(fixedLatencyMs)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], stop: () => child.kill('SIGINT') });
    });
    child.on('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
}

/** A project of `cases` cases × `levels` thinking levels × numberResults `n`, with typical assertions. */
function writeProject(dir, { cases, levels, n, concurrency }) {
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
    'cases:',
    ...Array.from({ length: cases }, (_, i) => `  - {id: c${i}, vars: {i: ${i}}}`),
  ];
  writeFileSync(path.join(dir, 'evals', 'bench.yaml'), `${lines.join('\n')}\n`);
}

function folderSizes(dir) {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(path.join(dir, f)).size]));
}

async function runScenario(name, project, latencyMs, extraArgs = []) {
  const simulator = await startSimulator(latencyMs);
  const dir = mkdtempSync(path.join(tmpdir(), `evalgate-bench-${name}-`));
  try {
    writeProject(dir, project);
    const results = [];
    for (let i = 0; i < REPEATS; i++) {
      const out = path.join(dir, `run-${i}`);
      const r = await timed(['run', '--provider', 'runware', '--out', out, '--quiet', '--no-color', '--reporter', 'json', ...extraArgs], dir, {
        RUNWARE_API_URL: simulator.url,
        RUNWARE_API_KEY: 'bench',
      });
      if (r.code > 1) throw new Error(`${name}: evalgate exited ${r.code}`);
      results.push({ ...r, artefacts: folderSizes(out), out });
    }
    return { dir, results };
  } finally {
    simulator.stop();
  }
}

const report = { machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version }, quick, repeats: REPEATS };
const rows = [];

// 1. Start-up.
{
  const version = [];
  const validate = [];
  for (let i = 0; i < size(10, 2); i++) {
    version.push((await timed(['--version'], root)).wallMs);
    validate.push((await timed(['validate'], root)).wallMs);
  }
  report.startup = { versionMs: median(version), validateMs: median(validate) };
  rows.push(['start-up: evalgate --version', `${median(version).toFixed(0)} ms`, 'median of runs; target ≤ 150 ms']);
  rows.push(['start-up: evalgate validate (examples)', `${median(validate).toFixed(0)} ms`, 'median of runs']);
}

// 2. Overhead: samples at 0 ms latency.
{
  const samples = size(10_000, 800);
  const cases = samples / 16;
  const { dir, results } = await runScenario('overhead', { cases, levels: 4, n: 4, concurrency: 64 }, 0);
  const cpu = median(results.map((r) => r.cpuMs / samples));
  const wall = median(results.map((r) => r.wallMs));
  report.overhead = { samples, concurrency: 64, wallMs: wall, samplesPerSecond: samples / (wall / 1000), cpuMsPerSample: cpu };
  rows.push([`overhead: ${samples} samples, 0 ms latency, concurrency 64`, `${(wall / 1000).toFixed(2)} s wall · ${Math.round(samples / (wall / 1000))} samples/s`, `${cpu.toFixed(3)} ms CPU per sample (target ≤ 0.3)`]);
  rmSync(dir, { recursive: true, force: true });
}

// 3. Concurrency efficiency: trials at 200 ms.
{
  const trials = size(2000, 200);
  const latency = 200;
  const { dir, results } = await runScenario('concurrency', { cases: trials / 4, levels: 4, n: 1, concurrency: 100 }, latency);
  const ideal = (trials * latency) / 100;
  const wall = median(results.map((r) => r.wallMs));
  report.concurrency = { trials, latencyMs: latency, concurrency: 100, wallMs: wall, idealMs: ideal, ratio: wall / ideal };
  rows.push([`concurrency: ${trials} trials × ${latency} ms at 100`, `${(wall / 1000).toFixed(2)} s (ideal ${(ideal / 1000).toFixed(2)} s)`, `${(wall / ideal).toFixed(3)} × ideal (target ≤ 1.05; includes start-up)`]);
  rmSync(dir, { recursive: true, force: true });
}

// 4. Scale: 100,000 samples; 5. reports rebuilt from its results.jsonl.
{
  const samples = size(100_000, 4_000);
  const { dir, results } = await runScenario('scale', { cases: samples / 16, levels: 4, n: 4, concurrency: 64 }, 0);
  const last = results.at(-1);
  const rss = median(results.map((r) => r.rssMb));
  report.scale = { samples, peakRssMb: rss, wallMs: median(results.map((r) => r.wallMs)), artefactBytes: last.artefacts };
  rows.push([`scale: ${samples} samples (numberResults 4)`, `peak RSS ${rss.toFixed(0)} MB`, `results.jsonl ${(last.artefacts['results.jsonl'] / 2 ** 20).toFixed(1)} MB, summary.json ${(last.artefacts['summary.json'] / 2 ** 20).toFixed(1)} MB (target RSS ≤ 120 MB)`]);

  const rebuild = [];
  for (let i = 0; i < REPEATS; i++) rebuild.push(await timed(['report', last.out, '--no-color'], dir));
  const html = statSync(path.join(last.out, 'report.html')).size;
  report.reports = { wallMs: median(rebuild.map((r) => r.wallMs)), peakRssMb: median(rebuild.map((r) => r.rssMb)), htmlBytes: html, artefactBytes: folderSizes(last.out) };
  rows.push([`reports: every report from ${samples} samples`, `${(report.reports.wallMs / 1000).toFixed(2)} s · RSS ${report.reports.peakRssMb.toFixed(0)} MB`, `report.html ${(html / 2 ** 20).toFixed(1)} MB (target < 20 MB)`]);
  const open = await openInBrowser(path.join(last.out, 'report.html'));
  if (open !== null) {
    report.reports.htmlOpenMs = open;
    rows.push(['report.html opens in Chromium', `${open.toFixed(0)} ms`, 'to the first drawn chart (target < 2 s)']);
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Time for headless Chromium to load report.html and draw it, or null without Chromium. */
async function openInBrowser(file) {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
    execFileSync('/usr/bin/chromium', ['--version'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    const started = performance.now();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('section.suite svg');
    return performance.now() - started;
  } finally {
    await browser.close();
  }
}

const width = Math.max(...rows.map((r) => r[0].length));
console.log(`\nevalgate bench${quick ? ' (quick)' : ''} on ${report.machine.cpus} × ${report.machine.cpu}, Node ${report.machine.node}; medians of ${REPEATS} run${REPEATS === 1 ? '' : 's'}\n`);
for (const [what, figure, note] of rows) console.log(`${what.padEnd(width)}  ${figure.padEnd(36)}  ${note}`);
mkdirSync(path.join(root, 'bench'), { recursive: true });
writeFileSync(path.join(root, 'bench/results.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log('\nwrote bench/results.json');
