import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EvalgateError, ExitCode } from '../../core/evalgate-error.js';
import type { CliIo } from '../cli-io.js';
import type { InitArgs } from '../cli-options.js';

const CONFIG = `# evalgate configuration. Every key is optional; each value below is its default.
# Reference: docs/config.md (in node_modules/evalgate/docs/ once installed)
suites: ["evals/**/*.{yaml,yml}"]
provider: runware          # or simulator: answers offline, no key needed
model: openai-gpt-5-5
concurrency: 8
threshold: 0.8             # minimum pass rate of suites that set none
reporters: [console, json, junit, markdown, html]
outDir: reports
simulator:
  scenarios: fixtures/simulator   # how --provider simulator answers; evalgate scenario <suite> writes one
`;

const SCENARIO = `# How the built-in simulator answers the sentiment suite offline (docs/simulator.md).
scenario: sentiment
match: 'Classify the sentiment of the review'
levels:
  none:   {accuracy: 0.7,  thinkingTokens: 0,   latencyMs: 400}
  low:    {accuracy: 0.85, thinkingTokens: 120, latencyMs: 700}
  medium: {accuracy: 0.95, thinkingTokens: 350, latencyMs: 1300}
answers:
  - when: 'Best purchase'
    correct: 'positive'
    wrong: ['neutral', 'The review is positive.']
  - when: 'Stopped working'
    correct: 'Negative.'
    wrong: 'neutral'
  - when: 'It is a kettle'
    difficulty: 0.15
    correct: 'neutral'
    wrong: ['positive', 'negative']
`;

const SUITE = `# An evalgate suite. Reference: docs/suite-format.md
suite: sentiment
model: openai-gpt-5-5
settings:
  systemPrompt: "Classify the sentiment of the review. Answer with one word: positive, negative or neutral."
  maxTokens: 1000
sweep:
  thinkingLevel: [none, low, medium]
  numberResults: [2]
messages:
  - {role: user, content: "Review: {{review}}"}
assert:
  - {type: finishReason, equals: stop}
  - {type: regex, pattern: '^\\s*{{label}}\\W*$', flags: i}
cases:
  - id: glowing
    vars: {review: "Best purchase this year, works perfectly.", label: positive}
  - id: broken
    vars: {review: "Stopped working after two days. Avoid.", label: negative}
  - id: mixed
    vars: {review: "It arrived. It is a kettle.", label: neutral}
threshold: 0.8
gateOn: {thinkingLevel: [medium]}   # the level you ship; none and low are measured and compared, never failed
`;

/** `evalgate init`: writes a starter evalconfig.yaml, a suite, and a simulator scenario for it. */
export async function initCommand(args: InitArgs, io: CliIo): Promise<number> {
  const files = [
    { path: path.join(io.cwd, 'evalconfig.yaml'), content: CONFIG },
    { path: path.join(io.cwd, 'evals', 'sentiment.yaml'), content: SUITE },
    { path: path.join(io.cwd, 'fixtures', 'simulator', 'sentiment.yaml'), content: SCENARIO },
  ];
  const existing = files.filter((f) => existsSync(f.path));
  if (existing.length > 0 && !args.force) {
    throw new EvalgateError('USAGE', `${existing.map((f) => path.relative(io.cwd, f.path)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written`, {
      hint: 'use --force to overwrite',
    });
  }
  for (const file of files) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.content);
    io.stdout.write(`wrote ${path.relative(io.cwd, file.path)}\n`);
  }
  io.stdout.write(
    'Next: evalgate validate, then evalgate run --provider simulator (offline) or evalgate run (needs RUNWARE_API_KEY).\n' +
      'For a suite of your own, evalgate scenario evals/<suite>.yaml writes the simulator\'s answers to fill in.\n',
  );
  return ExitCode.ok;
}
