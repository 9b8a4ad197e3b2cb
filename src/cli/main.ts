#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import type { CliIo } from './cli-io.js';
import { flushed } from './flushed.js';
import { youngGeneration } from './young-generation.js';

// V8 lets the old generation grow to about 4× what survived the last full collection before it
// collects again; a run's heap is mostly short-lived records promoted while in flight, so that
// headroom is mostly garbage. 1.25× keeps a 100,000-sample run's peak RSS a fifth lower at no
// measurable CPU cost (npm run bench). The flag is read at each collection, so setting it here works.
setFlagsFromString('--heap-growing-percent=25');
// undici parses HTTP with llhttp compiled to WebAssembly; V8 first compiles it with its baseline
// compiler (Liftoff), then recompiles the hot parser with TurboFan in the background, and that compile
// held about 30 MB for a second early in every run: the peak of a 20,000-sample run (146 MB against
// 126 MB without it), for no CPU saved over a run (docs/performance.md, "Memory"). Set here, by the
// process's owner, before any connection: the only WebAssembly evalgate runs is undici's parser, and a
// library (dist/index.js) must not change how its host compiles WebAssembly.
setFlagsFromString('--liftoff-only');

const args = process.argv.slice(2);
// A run holds V8's young generation where it is from the end of loading until its plan is known, then
// lets it grow as far as the plan's size allows (young-generation.ts): a flag set before it grows is
// the only way to cap it. Only here, in evalgate's own process: never in a host that imports it.
if (args[0] === 'run') youngGeneration.manage();

// `evalgate --version` needs nothing but package.json: answered before the parser (yargs) loads,
// which is most of the start-up time of every other command.
if (args.length === 1 && args[0] === '--version') {
  const { packageVersion } = await import('./package-version.js');
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const io: CliIo = {
    stdout: {
      write: (text) => void process.stdout.write(text),
      isTTY: process.stdout.isTTY === true,
      get columns() {
        return process.stdout.columns;
      },
    },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(listener) {
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
      return () => {
        process.off('SIGINT', listener);
        process.off('SIGTERM', listener);
      };
    },
  };
  const { runCli } = await import('./run-cli.js');
  const code = await runCli(args, io);
  // A command has finished when runCli returns: every artefact is written and every server closed.
  // Left to end by itself, Node would first wait for V8's queued background compiles (TurboFan jobs
  // for code that will never run again): 20-40 ms after the last line of a `validate`
  // (docs/performance.md). Exiting drops that queue; what was written to stdout and stderr is
  // flushed first (a pipe is asynchronous on some platforms).
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

