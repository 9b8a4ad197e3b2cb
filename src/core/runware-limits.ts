/** Reasoning effort, as Runware names it (`settings.thinkingLevel`). */
export const THINKING_LEVELS = ['none', 'low', 'medium', 'high', 'xhigh'] as const;
export type ThinkingLevel = (typeof THINKING_LEVELS)[number];

export const OUTPUT_FORMATS = ['TEXT', 'JSON'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const DELIVERY_METHODS = ['sync', 'async', 'stream'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** Kinds of tool a task may offer: functions the caller describes, and built-ins the provider runs. */
export const TOOL_TYPES = ['function', 'search', 'codeInterpreter'] as const;
export type ToolType = (typeof TOOL_TYPES)[number];

/** How the model may use the tools (`toolChoice.type`). */
export const TOOL_CHOICE_TYPES = ['auto', 'any', 'tool', 'none'] as const;
export type ToolChoiceType = (typeof TOOL_CHOICE_TYPES)[number];

export const FINISH_REASONS = ['stop', 'length', 'content_filter', 'tool_calls', 'tool_use', 'unknown'] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];

/** Runware's documented ranges for a textInference task. */
export const RUNWARE_LIMITS = {
  maxTokens: { min: 1, max: 128_000, default: 4096 },
  numberResults: { min: 1, max: 4, default: 1 },
  systemPromptChars: { min: 1, max: 200_000 },
  defaultThinkingLevel: 'medium' as ThinkingLevel,
} as const;

/** Roles a message may have; the system prompt goes in `settings.systemPrompt`. */
export const MESSAGE_ROLES = ['user', 'assistant'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/** One chat message, as sent to Runware. */
export interface Message {
  role: MessageRole;
  content: string;
}
