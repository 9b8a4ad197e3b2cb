import { stringify } from 'yaml';
import type { LoadedSuite } from '../config/loaded-suite.js';
import { exampleForSchema } from './example-for-schema.js';

/** How the draft's simulated model behaves per level: better and slower with more effort. */
const LEVELS = {
  none: { accuracy: 0.6, thinkingTokens: 0, latencyMs: 400 },
  low: { accuracy: 0.75, thinkingTokens: 150, latencyMs: 800 },
  medium: { accuracy: 0.85, thinkingTokens: 400, latencyMs: 1500 },
  high: { accuracy: 0.92, thinkingTokens: 1000, latencyMs: 3000 },
};
const MATCH_CHARS = 60;

/** A starting scenario: its YAML text, and whether its JSON answers are still to be checked. */
export interface DraftScenario {
  yaml: string;
  /** The right answer of every case, for a JSON suite (to check against the suite's schema). */
  jsonAnswers: unknown[];
}

/**
 * A starting simulator scenario for a suite (`evalgate scenario`): a `match` on what all its cases
 * share (the system prompt, else the common start of the first message), the four usual levels, and
 * one answer per case found by the start of its last user message. A JSON suite with a `jsonSchema`
 * gets right answers built to satisfy it and a wrong one that does not; a text suite gets answers
 * marked TODO to fill in.
 */
export function draftScenario(suite: LoadedSuite): DraftScenario {
  const schema = suite.outputFormat === 'JSON' ? suite.jsonSchema?.schema : undefined;
  const right = schema !== undefined ? exampleForSchema(schema) : undefined;
  const answers = suite.cases.map((kase) => {
    const lastUser = [...kase.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    return {
      when: escapeRegex(firstLine(lastUser).slice(0, MATCH_CHARS)),
      correct: right !== undefined ? JSON.stringify(right) : `TODO: the answer that passes case ${kase.id}`,
      wrong: right !== undefined ? '{}' : `TODO: an answer that fails case ${kase.id}`,
    };
  });
  // Thinking stays within half the smallest maxTokens, so the drafted answers are not cut short (`length`).
  const thinkingCap = Math.floor(Math.min(...suite.cases.map((c) => c.maxTokens)) / 2);
  const levels = Object.fromEntries(Object.entries(LEVELS).map(([level, b]) => [level, { ...b, thinkingTokens: Math.min(b.thinkingTokens, thinkingCap) }]));
  const spec = { scenario: suite.name, match: sharedPrompt(suite), levels, answers };
  const header = [
    `# Simulator scenario for suite ${suite.name} (${suite.file}), written by evalgate scenario.`,
    '# The first scenario whose match finds a prompt answers it; each case is found by `when` on its last',
    '# user message. Edit the answers (and accuracy per level) until an offline run looks like your model.',
    schema !== undefined ? '# The right answers satisfy the suite\'s jsonSchema; the wrong ones do not.' : '# Replace each TODO with a real right and wrong answer (a list of several is fine).',
    '# Reference: docs/simulator.md',
  ].join('\n');
  return { yaml: `${header}\n${stringify(spec, { lineWidth: 0 })}`, jsonAnswers: right !== undefined ? [right] : [] };
}

/** A regex (escaped) on what every case of the suite sends: the shared system prompt, else the shared start of the first message. */
function sharedPrompt(suite: LoadedSuite): string {
  const prompts = new Set(suite.cases.map((c) => c.systemPrompt ?? ''));
  const [only] = [...prompts];
  if (prompts.size === 1 && only) return escapeRegex(firstLine(only).slice(0, MATCH_CHARS));
  const firsts = suite.cases.map((c) => c.messages[0]?.content ?? '');
  let common = firsts[0] ?? '';
  for (const text of firsts) while (!text.startsWith(common)) common = common.slice(0, -1);
  common = firstLine(common).slice(0, MATCH_CHARS);
  if (common.trim().length >= 8) return escapeRegex(common);
  // Nothing shared: any case's own start, so every case of the suite (and no other prompt) matches.
  return [...new Set(firsts.map((text) => escapeRegex(firstLine(text).slice(0, 40))))].join('|');
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
