import { ANSWER_HEADING, JUDGE_PROMPT_FIRST_LINE } from '../assertions/judge-prompt.js';
import type { ThinkingLevel } from '../core/runware-limits.js';
import { priceUsage } from '../cost/price-usage.js';
import type { Usage } from '../core/sample-record.js';
import { GENERIC_SCENARIO, type Scenario, type ScenarioAnswer } from './scenario.js';
import { asJson, contentKey, estimatePromptTokens, estimateTokens, uniforms, type SimulatedTask, type SimulatorTask } from './simulate-task.js';

/** How often the simulated judge agrees with what the simulator knows, by the judge's thinking level. */
const JUDGE_ACCURACY: Record<ThinkingLevel, number> = { none: 0.8, low: 0.9, medium: 0.94, high: 0.97, xhigh: 0.98 };
const JUDGE_THINKING_TOKENS: Record<ThinkingLevel, number> = { none: 0, low: 150, medium: 400, high: 900, xhigh: 2000 };
const JUDGE_LATENCY_MS: Record<ThinkingLevel, number> = { none: 300, low: 500, medium: 900, high: 1600, xhigh: 3000 };

/** Candidate text that makes the simulated judge refuse, or answer something that is not a verdict (for tests and demos of JUDGE_ERROR). */
export const JUDGE_REFUSES = '[[simulator: judge refuses]]';
export const JUDGE_GARBLES = '[[simulator: judge garbles]]';

/** True for a request evalgate's judge sent. */
export function isJudgeTask(task: SimulatorTask): boolean {
  return task.systemPrompt?.startsWith(JUDGE_PROMPT_FIRST_LINE) ?? false;
}

/**
 * Grades a judge request deterministically, from what the simulator knows: an answer that is one of a
 * scenario's correct answers deserves a pass, one of its wrong answers a fail; any other answer passes
 * when it contains the reference (if the prompt has one), else by a seeded coin. The simulated judge
 * agrees with that truth at its level's accuracy (none 80% … xhigh 98%), so verdicts are sometimes
 * wrong, as a real judge's are, and `samples: k` can split.
 */
export function simulateJudgeTask(task: SimulatorTask, scenarios: readonly Scenario[], seed: number, occurrence: number): SimulatedTask {
  const prompt = task.messages.map((m) => m.content).join('\n');
  const answer = readAnswer(prompt);
  const reference = readSection(prompt, '# Reference answer');
  const key = contentKey(task);
  const known = knownCorrectness(answer ?? '', scenarios);
  const results = [];
  for (let i = 0; i < task.numberResults; i++) {
    const u = uniforms(seed, key, occurrence, `judge-${i}`);
    const truth = known ?? (reference !== undefined ? coversReference(answer ?? '', reference) : u[4]! < 0.5);
    const agrees = u[0]! < JUDGE_ACCURACY[task.thinkingLevel];
    const pass = agrees ? truth : !truth;
    const score = Math.round((pass ? 0.6 + 0.4 * u[1]! : 0.4 * u[1]!) * 100) / 100;
    const why = known !== undefined ? (truth ? 'it says what a correct answer says' : 'it misses what a correct answer says') : reference !== undefined ? (truth ? 'it contains the reference' : 'it does not contain the reference') : 'an answer the simulator does not know';
    let text = JSON.stringify({ pass, score, reason: `(simulated judge) ${pass ? 'Meets' : 'Does not meet'} the rubric: ${why}.` });
    let finishReason: 'stop' | 'content_filter' = 'stop';
    if (answer?.includes(JUDGE_REFUSES)) {
      text = '';
      finishReason = 'content_filter';
    } else if (answer?.includes(JUDGE_GARBLES)) {
      text = 'I think this answer is fine.';
    }
    const thinkingTokens = JUDGE_THINKING_TOKENS[task.thinkingLevel] === 0 ? 0 : Math.round(JUDGE_THINKING_TOKENS[task.thinkingLevel] * (0.7 + 0.6 * u[2]!));
    const promptTokens = estimatePromptTokens(task);
    const completionTokens = estimateTokens(text);
    const usage: Usage = { promptTokens, completionTokens, thinkingTokens, totalTokens: promptTokens + completionTokens + thinkingTokens };
    const price = priceUsage(usage, task.model);
    results.push({ text, finishReason, usage, cost: price === null ? null : Math.round(price * 1e10) / 1e10, isCorrect: pass === truth });
  }
  const t = uniforms(seed, key, occurrence, 'judge-latency');
  return { scenario: 'judge', results, latencyMs: JUDGE_LATENCY_MS[task.thinkingLevel] * (0.7 + 0.6 * t[0]!) };
}

/** The answer under ANSWER_HEADING: one JSON string on the next line. */
function readAnswer(prompt: string): string | undefined {
  const lines = prompt.split('\n');
  const at = lines.indexOf(ANSWER_HEADING);
  if (at < 0) return undefined;
  try {
    const value: unknown = JSON.parse(lines[at + 1] ?? '');
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function readSection(prompt: string, headingStart: string): string | undefined {
  const lines = prompt.split('\n');
  const at = lines.findIndex((l) => l.startsWith(headingStart));
  if (at < 0) return undefined;
  const end = lines.findIndex((l, i) => i > at && l.startsWith('# '));
  return lines.slice(at + 1, end < 0 ? undefined : end).join('\n').trim();
}

/** True when the text is a correct answer of some scenario, false when a wrong one, undefined when unknown. */
function knownCorrectness(text: string, scenarios: readonly Scenario[]): boolean | undefined {
  const matches = (pool: ScenarioAnswer[]) => pool.some((a) => {
    const candidate = typeof a === 'string' ? a : a.text;
    return candidate !== '' && (candidate === text || asJson(candidate) === text || candidate.trim() === text.trim());
  });
  for (const scenario of [...scenarios, GENERIC_SCENARIO]) {
    for (const a of scenario.answers) {
      if (matches(a.correct)) return true;
      if (matches(a.wrong)) return false;
    }
  }
  return undefined;
}

/** True when the answer has at least 60% of the reference's words of four letters or more. */
function coversReference(answer: string, reference: string): boolean {
  const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9%-]{4,}/g) ?? []);
  const wanted = [...words(reference)];
  if (wanted.length === 0) return true;
  const have = words(answer);
  return wanted.filter((w) => have.has(w)).length / wanted.length >= 0.6;
}
