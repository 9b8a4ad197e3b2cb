// node bench/promptfoo-compare.mjs [--dir <folder>] [--repeats N] [--calls N]: evalgate against promptfoo,
// the same 900 calls (300 cases × 3 thinking levels) at concurrency 50 to the same simulator at 0 ms,
// each tool's whole process timed, alternately, medians of N runs (default 5). Build first (npm run build).
//
// promptfoo needs Node 22, so the script installs the npm package `node` (22) and promptfoo 0.123.1 into
// a folder of their own (--dir, default $TMPDIR/evalgate-promptfoo; kept for the next time), never into
// this project. promptfoo has no Runware provider: it sends the same request body through its generic
// `http` provider and checks the same two things (a regex and a substring) on each answer. Both run
// without caches, reports or telemetry beyond what each does by default for a plain evaluation.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from './start-simulator.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'dist/bin/evalgate.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const toolDir = path.resolve(arg('dir', path.join(tmpdir(), 'evalgate-promptfoo')));
const repeats = Number(arg('repeats', 5));
const calls = Number(arg('calls', 900));
const concurrency = 50;
const LEVELS = ['none', 'low', 'medium'];
const PROMPTFOO_VERSION = '0.123.1';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Node 22 and promptfoo, installed once into `toolDir` with the ordinary npm client. */
function installTools() {
  const node22 = path.join(toolDir, 'node_modules/node/bin/node');
  const promptfoo = path.join(toolDir, 'node_modules/promptfoo/dist/src/entrypoint.js');
  if (!existsSync(node22) || !existsSync(path.join(toolDir, 'node_modules/promptfoo/package.json'))) {
    mkdirSync(toolDir, { recursive: true });
    if (!existsSync(path.join(toolDir, 'package.json'))) writeFileSync(path.join(toolDir, 'package.json'), '{"private": true}\n');
    console.log(`installing node@22 and promptfoo@${PROMPTFOO_VERSION} into ${toolDir} (once; a few minutes)…`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', 'node@22'], { cwd: toolDir, stdio: 'inherit' });
    // promptfoo's npm runs under Node 22: its engines field asks for it.
    const env = { ...process.env, PATH: `${path.dirname(node22)}${path.delimiter}${process.env.PATH}` };
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `promptfoo@${PROMPTFOO_VERSION}`], { cwd: toolDir, stdio: 'inherit', env });
  }
  const entry = existsSync(promptfoo) ? promptfoo : path.join(toolDir, 'node_modules/.bin/promptfoo');
  return { node22, entry };
}


/**
 * Wall time of a whole child process, from spawn to exit, and what it printed; rejects on a crash.
 * `okCodes`: the exit codes of a finished evaluation (evalgate 0 or 1; promptfoo 100 when a test failed).
 */
function timed(command, args, options, okCodes) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      if (process.env.BENCH_SHOW_OUTPUT) process.stdout.write(stdout);
      if (okCodes.includes(code)) resolve({ ms: performance.now() - started, stdout });
      else reject(new Error(`${path.basename(args[0] ?? command)} exited ${code}: ${stderr.slice(-600)}`));
    });
  });
}

/** promptfoo's own tally from its summary (`✓ 897 passed`, `3 failed`, `0 errors`), so a failed call is seen. */
function promptfooTally(stdout) {
  const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(stdout)?.[1] ?? NaN);
  return { passed: count('passed'), failed: count('failed'), errors: count('errors') };
}

function writeEvalgateProject(dir) {
  mkdirSync(path.join(dir, 'evals'), { recursive: true });
  writeFileSync(path.join(dir, 'evalconfig.yaml'), `concurrency: ${concurrency}\nthreshold: 0\nreporters: [json]\n`);
  const cases = Array.from({ length: calls / LEVELS.length }, (_, i) => `  - {id: c${i}, vars: {i: ${i}}}`);
  writeFileSync(
    path.join(dir, 'evals/bench.yaml'),
    [
      'suite: bench',
      'settings: {systemPrompt: "Answer briefly.", maxTokens: 2000}',
      `sweep: {thinkingLevel: [${LEVELS.join(', ')}]}`,
      'messages: [{role: user, content: "Question {{i}}: what is {{i}} plus one?"}]',
      "assert: [{type: regex, pattern: 'simulated'}, {type: contains, value: answer}]",
      'cases:',
      ...cases,
      '',
    ].join('\n'),
  );
}

function writePromptfooConfig(dir, url) {
  // The same Runware request evalgate sends; a fresh taskUUID per call, given as a test variable.
  const tests = [];
  for (let i = 0; i < calls / LEVELS.length; i++) {
    for (const level of LEVELS) tests.push({ vars: { i, level, uuid: randomUUID() } });
  }
  const config = {
    description: 'evalgate bench: 900 calls',
    prompts: ['Question {{i}}: what is {{i}} plus one?'],
    providers: [
      {
        id: 'http',
        config: {
          url,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
          body: [
            {
              taskType: 'textInference',
              taskUUID: '{{uuid}}',
              model: 'openai:gpt@5.5',
              messages: [{ role: 'user', content: '{{prompt}}' }],
              settings: { systemPrompt: 'Answer briefly.', maxTokens: 2000, thinkingLevel: '{{level}}' },
              numberResults: 1,
              includeCost: true,
            },
          ],
          transformResponse: 'json.data[0].text',
        },
      },
    ],
    defaultTest: { assert: [{ type: 'regex', value: 'simulated' }, { type: 'icontains', value: 'answer' }] },
    tests,
  };
  writeFileSync(path.join(dir, 'promptfooconfig.json'), JSON.stringify(config));
}

const tools = installTools();
const simulator = await startSimulator(CLI, root, 0);
const work = mkdtempSync(path.join(tmpdir(), 'evalgate-vs-promptfoo-'));
try {
  writeEvalgateProject(path.join(work, 'evalgate'));
  mkdirSync(path.join(work, 'promptfoo'));
  writePromptfooConfig(path.join(work, 'promptfoo'), simulator.url);
  const evalgateEnv = { PATH: process.env.PATH, RUNWARE_API_URL: simulator.url, RUNWARE_API_KEY: 'bench' };
  const promptfooEnv = {
    PATH: `${path.dirname(tools.node22)}${path.delimiter}${process.env.PATH}`,
    HOME: path.join(work, 'home'),
    PROMPTFOO_CONFIG_DIR: path.join(work, 'promptfoo-home'),
    PROMPTFOO_DISABLE_TELEMETRY: '1',
    PROMPTFOO_DISABLE_UPDATE: '1',
  };
  const times = { evalgate: [], promptfoo: [] };
  const tallies = [];
  for (let i = 0; i < repeats; i++) {
    const out = path.join(work, 'evalgate', `run-${i}`);
    times.evalgate.push((await timed(process.execPath, [CLI, 'run', '--provider', 'runware', '--out', out, '--quiet', '--no-color'], { cwd: path.join(work, 'evalgate'), env: evalgateEnv }, [0, 1])).ms);
    rmSync(out, { recursive: true, force: true });
    const promptfoo = await timed(
      tools.node22,
      [tools.entry, 'eval', '-c', 'promptfooconfig.json', '-j', String(concurrency), '--no-cache', '--no-table', '--no-progress-bar', '--no-write', '--no-share'],
      { cwd: path.join(work, 'promptfoo'), env: promptfooEnv },
      [0, 100],
    );
    times.promptfoo.push(promptfoo.ms);
    tallies.push(promptfooTally(promptfoo.stdout));
  }
  const [e, p] = [median(times.evalgate), median(times.promptfoo)];
  // Each evalgate run beside the promptfoo run right after it: on a shared machine the pairs see the same load.
  const pairRatio = median(times.evalgate.map((ms, i) => ms / times.promptfoo[i]));
  const result = { calls, concurrency, latencyMs: 0, repeats, promptfooVersion: PROMPTFOO_VERSION, evalgateMs: e, promptfooMs: p, ratio: e / p, pairRatio, runs: times, promptfooTallies: tallies };
  console.log(`\n${calls} calls at 0 ms, concurrency ${concurrency}, medians of ${repeats}: evalgate ${(e / 1000).toFixed(2)} s, promptfoo ${PROMPTFOO_VERSION} ${(p / 1000).toFixed(2)} s; ratio ${(e / p).toFixed(3)}, median of the paired runs' ratios ${pairRatio.toFixed(3)} (target ≤ 0.08)`);
  writeFileSync(path.join(root, 'bench/promptfoo-results.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`promptfoo's own tally per run: ${tallies.map((t) => `${t.passed} passed, ${t.failed} failed, ${t.errors} errors`).join('; ')}`);
  console.log('wrote bench/promptfoo-results.json');
} finally {
  simulator.stop();
  rmSync(work, { recursive: true, force: true });
}
