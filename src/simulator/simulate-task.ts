import { createHash } from 'node:crypto';
import type { ModelEntry } from '../config/model-table.js';
import { THINKING_LEVELS, type FinishReason, type Message, type ThinkingLevel, type ToolChoiceType } from '../core/runware-limits.js';
import { priceUsage } from '../cost/price-usage.js';
import type { Usage } from '../core/sample-record.js';
import { GENERIC_SCENARIO, scenarioFor, type LevelBehaviour, type Scenario } from './scenario.js';

/** A textInference task the simulator accepted. */
export interface SimulatorTask {
  model: ModelEntry;
  messages: Message[];
  /** `inputs.images`, as sent. */
  images?: readonly string[];
  /** Function tools on offer, by name; absent without tools. */
  functionTools?: readonly string[];
  /** `toolChoice.type`, when given. */
  toolChoice?: ToolChoiceType;
  systemPrompt?: string;
  maxTokens: number;
  thinkingLevel: ThinkingLevel;
  numberResults: number;
  /** `JSON` when the task asked for JSON output; absent for text. */
  outputFormat?: 'JSON';
}

/** One simulated result, before it is put on the wire. */
export interface SimulatedResult {
  text: string;
  /** Tools the simulated model calls (from a scenario's tool answers). */
  toolCalls?: { name: string; arguments: Record<string, unknown> }[];
  finishReason: FinishReason;
  usage: Usage;
  /** USD, from the same price table the client uses; null for a model without a price. */
  cost: number | null;
  /** Whether the scenario drew a correct answer (for tests that count independently). */
  isCorrect: boolean;
}

export interface SimulatedTask {
  scenario: string;
  results: SimulatedResult[];
  /** How long the simulated model takes, before the latency scale. */
  latencyMs: number;
}

const LATENCY_SIGMA = 0.3;
const IMAGE_PROMPT_TOKENS = 258;
const THINKING_SIGMA = 0.35;

/**
 * Answers one task, deterministically: the same seed, task content and occurrence (how many times the
 * same content was asked before) give the same results. Correctness, thinking tokens and latency
 * follow the matching scenario's behaviour for the task's thinking level; a result runs out of tokens
 * (`length`) honestly when thinking and text exceed maxTokens.
 */
export function simulateTask(task: SimulatorTask, scenarios: readonly Scenario[], seed: number, occurrence: number): SimulatedTask {
  const scenario = scenarioFor(scenarios, task) ?? GENERIC_SCENARIO;
  const lastUser = [...task.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const answer = scenario.answers.find((a) => a.when.test(lastUser)) ?? scenario.answers[scenario.answers.length - 1]!;
  const behaviour = levelBehaviour(scenario, task.thinkingLevel);
  const adjust = scenario.models[task.model.air] ?? scenario.models[task.model.id] ?? { accuracyDelta: 0, latencyFactor: 1, thinkingFactor: 1 };
  const key = contentKey(task);
  const accuracy = clamp(behaviour.accuracy + adjust.accuracyDelta - answer.difficulty, 0, 1);
  const promptTokens = estimatePromptTokens(task);

  const results: SimulatedResult[] = [];
  for (let i = 0; i < task.numberResults; i++) {
    const u = uniforms(seed, key, occurrence, `result-${i}`);
    const isCorrect = u[0]! < accuracy;
    const pool = isCorrect ? answer.correct : answer.wrong;
    const chosen = pool[Math.floor(u[1]! * pool.length)] ?? '';
    const toolCall = typeof chosen !== 'string' && offers(task, chosen.toolCall.name) ? chosen.toolCall : undefined;
    let text = typeof chosen === 'string' ? chosen : chosen.text || (toolCall ? '' : `(simulated) I would call ${chosen.toolCall.name}.`);
    if (task.outputFormat === 'JSON') text = asJson(text);
    const callTokens = toolCall ? estimateTokens(JSON.stringify(toolCall)) : 0;
    const thinkingMedian = behaviour.thinkingTokens * adjust.thinkingFactor;
    let thinkingTokens = thinkingMedian > 0 ? Math.max(1, Math.round(logNormal(thinkingMedian, THINKING_SIGMA, u[2]!, u[3]!))) : 0;
    let completionTokens = estimateTokens(text) + callTokens;
    let finishReason: FinishReason = 'stop';
    if (thinkingTokens >= task.maxTokens) {
      thinkingTokens = task.maxTokens;
      completionTokens = 0;
      text = '';
      finishReason = 'length';
    } else if (thinkingTokens + completionTokens > task.maxTokens) {
      completionTokens = task.maxTokens - thinkingTokens;
      text = text.slice(0, completionTokens * 4);
      finishReason = 'length';
    }
    const usage: Usage = { promptTokens, completionTokens, thinkingTokens, totalTokens: promptTokens + completionTokens };
    const price = priceUsage(usage, task.model);
    const calls = toolCall && finishReason === 'stop' ? { toolCalls: [{ name: toolCall.name, arguments: toolCall.arguments }] } : {};
    results.push({ text, ...calls, finishReason, usage, cost: price === null ? null : roundUsd(price), isCorrect: isCorrect && finishReason === 'stop' });
  }
  const t = uniforms(seed, key, occurrence, 'latency');
  const latencyMs = logNormal(behaviour.latencyMs * adjust.latencyFactor, LATENCY_SIGMA, t[0]!, t[1]!);
  return { scenario: scenario.name, results, latencyMs };
}

/** A scenario's behaviour at a level, or the nearest level below it that it defines (else above). */
function levelBehaviour(scenario: Scenario, level: ThinkingLevel): LevelBehaviour {
  const index = THINKING_LEVELS.indexOf(level);
  for (let i = index; i >= 0; i--) {
    const b = scenario.levels[THINKING_LEVELS[i]!];
    if (b) return b;
  }
  for (let i = index + 1; i < THINKING_LEVELS.length; i++) {
    const b = scenario.levels[THINKING_LEVELS[i]!];
    if (b) return b;
  }
  return GENERIC_SCENARIO.levels.medium!;
}

/**
 * A JSON task answers JSON: an answer that already parses stays as it is, any other text is wrapped as
 * `{"answer": text}`; an empty text (beside a tool call) stays empty. A `length` cut may still break it,
 * as it would on the real API.
 */
export function asJson(text: string): string {
  if (text === '') return text;
  try {
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify({ answer: text });
  }
}

/** Whether the task lets the model call this function tool. */
function offers(task: SimulatorTask, name: string): boolean {
  return task.toolChoice !== 'none' && (task.functionTools ?? []).includes(name);
}

/** Identifies a task by what it asks, not by its taskUUID (a retry sends a new one). */
export function contentKey(task: SimulatorTask): string {
  // Tools join the key only when there are some, so tasks without them draw as they always did.
  // outputFormat stays out: it changes how an answer is written, not which answer is drawn.
  const tools = task.functionTools !== undefined ? [task.functionTools, task.toolChoice ?? null] : [];
  const images = task.images !== undefined ? [task.images.map((i) => createHash('sha256').update(i).digest('hex'))] : [];
  const content = JSON.stringify([task.model.air, task.systemPrompt ?? null, task.messages, task.maxTokens, task.thinkingLevel, task.numberResults, ...tools, ...images]);
  return createHash('sha256').update(content).digest('hex');
}

/** Eight uniforms in [0, 1) derived from the seed and a label: deterministic, independent of call order. */
export function uniforms(seed: number, key: string, occurrence: number, label: string): number[] {
  const digest = createHash('sha256').update(`${seed}\u0000${key}\u0000${occurrence}\u0000${label}`).digest();
  const out: number[] = [];
  for (let i = 0; i < 8; i++) out.push(digest.readUInt32BE(i * 4) / 2 ** 32);
  return out;
}

/** A log-normal draw with the given median, by Box–Muller from two uniforms. */
function logNormal(median: number, sigma: number, u1: number, u2: number): number {
  const z = Math.sqrt(-2 * Math.log(u1 + Number.EPSILON)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(sigma * z);
}

/** About four characters a token: the simulator's stand-in for a tokenizer. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The simulator's prompt tokens for one result: about four characters a token, 3 per message and 3 for the request. */
export function estimatePromptTokens(task: SimulatorTask): number {
  const perMessage = 3;
  const system = task.systemPrompt ? estimateTokens(task.systemPrompt) + perMessage : 0;
  // Images cost prompt tokens too; a flat figure per image stands in for a vision tokenizer.
  const images = (task.images?.length ?? 0) * IMAGE_PROMPT_TOKENS;
  return system + images + task.messages.reduce((sum, m) => sum + estimateTokens(m.content) + perMessage, 3);
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

function roundUsd(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}
