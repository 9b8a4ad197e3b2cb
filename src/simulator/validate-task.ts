import type { ModelTable } from '../config/model-table.js';
import {
  DELIVERY_METHODS, MESSAGE_ROLES, RUNWARE_LIMITS, THINKING_LEVELS, TOOL_CHOICE_TYPES, TOOL_TYPES, type DeliveryMethod, type Message, type ThinkingLevel, type ToolChoiceType,
} from '../core/runware-limits.js';
import type { SimulatorTask } from './simulate-task.js';

/** An error entry as Runware writes it. */
export interface WireError {
  code: string;
  message: string;
  parameter?: string;
  taskType?: string;
  taskUUID?: string;
  allowedValues?: unknown[];
  min?: number;
  max?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TASK_KEYS = new Set([
  'taskType', 'taskUUID', 'model', 'deliveryMethod', 'numberResults', 'includeCost', 'includeUsage', 'outputFormat',
  'jsonSchema', 'messages', 'settings', 'webhookURL', 'tools', 'toolChoice', 'inputs',
]);
const SETTINGS_KEYS = new Set(['systemPrompt', 'maxTokens', 'thinkingLevel', 'temperature', 'topP', 'stopSequences']);

/**
 * Validates one textInference task the way Runware does (ranges, roles, model, known keys), so that the
 * client meets the same refusals against the simulator as against the real API.
 */
export function validateTask(
  raw: unknown,
  models: ModelTable,
): { task: SimulatorTask; taskUUID: string; includeCost: boolean; includeUsage: boolean; deliveryMethod: DeliveryMethod; webhookURL?: string } | { error: WireError } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { error: { code: 'invalidParameter', message: 'Each task must be a JSON object.' } };
  const t = raw as Record<string, unknown>;
  const taskUUID = typeof t.taskUUID === 'string' ? t.taskUUID : undefined;
  const fail = (code: string, message: string, extra: Partial<WireError> = {}) => ({
    error: { code, message, taskType: 'textInference', ...(taskUUID ? { taskUUID } : {}), ...extra },
  });

  if (t.taskType !== 'textInference') return fail('invalidParameter', `Unsupported taskType ${JSON.stringify(t.taskType)}.`, { parameter: 'taskType', allowedValues: ['textInference'] });
  if (!taskUUID || !UUID.test(taskUUID)) return fail('invalidParameter', 'taskUUID must be a UUID v4.', { parameter: 'taskUUID' });
  const unknown = Object.keys(t).find((k) => !TASK_KEYS.has(k));
  if (unknown) return fail('unknownParameter', `Unknown parameter ${unknown}.`, { parameter: unknown });

  const model = typeof t.model === 'string' ? models.find(t.model) : undefined;
  if (!model) return fail('invalidModel', `Model ${JSON.stringify(t.model)} is not available.`, { parameter: 'model' });

  const deliveryMethod = (t.deliveryMethod ?? 'sync') as DeliveryMethod;
  if (!DELIVERY_METHODS.includes(deliveryMethod) || !model.deliveryMethods.includes(deliveryMethod)) {
    return fail('invalidParameter', `deliveryMethod must be one of ${model.deliveryMethods.join(', ')} for this model.`, { parameter: 'deliveryMethod', allowedValues: model.deliveryMethods });
  }
  const webhookURL = t.webhookURL;
  // Runware's schema gives webhookURL `format: URI` for every delivery method, so any absolute URI is
  // taken here too; the simulator POSTs results to it for async tasks only (sync and stream answer in the response).
  if (webhookURL !== undefined && (typeof webhookURL !== 'string' || !URL.canParse(webhookURL))) {
    return fail('invalidParameter', 'webhookURL must be a URI.', { parameter: 'webhookURL' });
  }

  const numberResults = t.numberResults ?? RUNWARE_LIMITS.numberResults.default;
  if (!Number.isInteger(numberResults) || (numberResults as number) < 1 || (numberResults as number) > model.maxNumberResults) {
    return fail('invalidParameter', `numberResults must be an integer from 1 to ${model.maxNumberResults}.`, { parameter: 'numberResults', min: 1, max: model.maxNumberResults });
  }
  // Runware streams one result per task (its SDK refuses more).
  if (deliveryMethod === 'stream' && numberResults !== 1) {
    return fail('invalidParameter', 'numberResults must be 1 with deliveryMethod stream.', { parameter: 'numberResults', min: 1, max: 1 });
  }
  if (t.outputFormat !== undefined && !model.outputFormats.includes(t.outputFormat as 'TEXT')) {
    return fail('invalidParameter', `outputFormat must be one of ${model.outputFormats.join(', ')}.`, { parameter: 'outputFormat', allowedValues: model.outputFormats });
  }
  // Runware takes a schema as an object or a JSON string, and honours it only with outputFormat JSON.
  if (t.jsonSchema !== undefined && (t.jsonSchema === null || Array.isArray(t.jsonSchema) || !['object', 'string'].includes(typeof t.jsonSchema))) {
    return fail('invalidParameter', 'jsonSchema must be a JSON Schema object or string.', { parameter: 'jsonSchema' });
  }

  if (!Array.isArray(t.messages) || t.messages.length === 0) return fail('invalidParameter', 'messages must be a non-empty array.', { parameter: 'messages' });
  const messages: Message[] = [];
  for (const m of t.messages as unknown[]) {
    const message = m as Record<string, unknown> | null;
    if (!message || !MESSAGE_ROLES.includes(message.role as 'user') || typeof message.content !== 'string' || message.content === '') {
      return fail('invalidParameter', 'Each message needs a role of user or assistant and non-empty string content.', { parameter: 'messages' });
    }
    messages.push({ role: message.role as Message['role'], content: message.content });
  }
  if (messages[messages.length - 1]!.role !== 'user') return fail('invalidParameter', 'The last message must be from the user.', { parameter: 'messages' });

  const settings = (t.settings ?? {}) as Record<string, unknown>;
  if (typeof settings !== 'object' || Array.isArray(settings)) return fail('invalidParameter', 'settings must be an object.', { parameter: 'settings' });
  const unknownSetting = Object.keys(settings).find((k) => !SETTINGS_KEYS.has(k));
  if (unknownSetting) return fail('unknownParameter', `Unknown parameter settings.${unknownSetting}.`, { parameter: `settings.${unknownSetting}` });
  const maxTokens = settings.maxTokens ?? RUNWARE_LIMITS.maxTokens.default;
  if (!Number.isInteger(maxTokens) || (maxTokens as number) < 1 || (maxTokens as number) > Math.min(model.maxTokens, RUNWARE_LIMITS.maxTokens.max)) {
    return fail('invalidParameter', `settings.maxTokens must be an integer from 1 to ${model.maxTokens}.`, { parameter: 'settings.maxTokens', min: 1, max: model.maxTokens });
  }
  const thinkingLevel = (settings.thinkingLevel ?? RUNWARE_LIMITS.defaultThinkingLevel) as ThinkingLevel;
  if (!THINKING_LEVELS.includes(thinkingLevel) || !model.thinkingLevels.includes(thinkingLevel)) {
    return fail('invalidParameter', `settings.thinkingLevel must be one of ${model.thinkingLevels.join(', ')}.`, { parameter: 'settings.thinkingLevel', allowedValues: model.thinkingLevels });
  }
  const images = validateInputs(t.inputs, model.acceptsImages);
  if ('error' in images) return fail('invalidParameter', images.error, { parameter: 'inputs.images' });
  const tools = validateTools(t.tools, t.toolChoice, model.toolTypes);
  if ('error' in tools) return fail('invalidParameter', tools.error, { parameter: tools.parameter });

  const systemPrompt = settings.systemPrompt;
  if (systemPrompt !== undefined && (typeof systemPrompt !== 'string' || systemPrompt.length < 1 || systemPrompt.length > RUNWARE_LIMITS.systemPromptChars.max)) {
    return fail('invalidParameter', 'settings.systemPrompt must be a string of 1 to 200000 characters.', { parameter: 'settings.systemPrompt' });
  }

  return {
    taskUUID,
    includeCost: t.includeCost === true,
    includeUsage: t.includeUsage === true,
    deliveryMethod,
    ...(typeof webhookURL === 'string' ? { webhookURL } : {}),
    task: {
      model,
      messages,
      ...(systemPrompt !== undefined ? { systemPrompt: systemPrompt as string } : {}),
      maxTokens: maxTokens as number,
      thinkingLevel,
      numberResults: numberResults as number,
      ...(t.outputFormat === 'JSON' ? { outputFormat: 'JSON' as const } : {}),
      ...images,
      ...tools,
    },
  };
}

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const IMAGE = /^(https?:\/\/\S+|data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/]+=*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9+/]{16,}=*)$/i;

/** `inputs.images`: URLs, data URIs, image UUIDs or base64, for a model that takes images. */
function validateInputs(inputs: unknown, acceptsImages: boolean): Pick<SimulatorTask, 'images'> | { error: string } {
  if (inputs === undefined) return {};
  const images = (inputs as Record<string, unknown> | null)?.images;
  if (!Array.isArray(images) || images.length === 0) return { error: 'inputs.images must be a non-empty array.' };
  if (!acceptsImages) return { error: 'This model does not take images.' };
  if (!images.every((i) => typeof i === 'string' && IMAGE.test(i))) return { error: 'Each image must be a URL, a data URI, an image UUID or base64 data.' };
  return { images: images as string[] };
}

/** `tools` and `toolChoice` as Runware takes them: known kinds the model takes, valid unique names, a choice that names a function. */
function validateTools(tools: unknown, toolChoice: unknown, allowed: readonly string[]): Pick<SimulatorTask, 'functionTools' | 'toolChoice'> | { error: string; parameter: string } {
  if (tools === undefined) return toolChoice === undefined ? {} : { error: 'toolChoice needs tools.', parameter: 'toolChoice' };
  if (!Array.isArray(tools) || tools.length === 0) return { error: 'tools must be a non-empty array.', parameter: 'tools' };
  const names: string[] = [];
  for (const raw of tools) {
    const tool = raw as Record<string, unknown> | null;
    const type = tool?.type;
    if (typeof type !== 'string' || !(TOOL_TYPES as readonly string[]).includes(type) || !allowed.includes(type)) {
      return { error: `Each tool's type must be one of ${allowed.join(', ')} for this model.`, parameter: 'tools' };
    }
    if (type !== 'function') continue;
    if (typeof tool!.name !== 'string' || !TOOL_NAME.test(tool!.name) || names.includes(tool!.name)) {
      return { error: 'A function tool needs a unique name of letters, digits, _ and - (at most 64).', parameter: 'tools' };
    }
    if (tool!.schema === null || typeof tool!.schema !== 'object' || Array.isArray(tool!.schema)) return { error: 'A function tool needs a JSON Schema object.', parameter: 'tools' };
    names.push(tool!.name);
  }
  if (toolChoice === undefined) return { functionTools: names };
  const choice = toolChoice as Record<string, unknown> | null;
  if (!choice || !(TOOL_CHOICE_TYPES as readonly unknown[]).includes(choice.type) || (choice.type === 'tool' && !names.includes(choice.name as string))) {
    return { error: 'toolChoice must be {type: auto|any|none} or {type: tool, name: <a function tool>}.', parameter: 'toolChoice' };
  }
  return { functionTools: names, toolChoice: choice.type as ToolChoiceType };
}
