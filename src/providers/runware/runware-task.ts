import type { WireTool, WireToolChoice } from '../../config/loaded-suite.js';
import type { DeliveryMethod } from '../../core/runware-limits.js';
import type { InferenceRequest } from '../../plan/trial.js';

/** A textInference task exactly as Runware takes it (see ../shared/runware-api.md). */
export interface RunwareTextTask {
  taskType: 'textInference';
  taskUUID: string;
  model: string;
  deliveryMethod: DeliveryMethod;
  /** Where an async task's results are POSTed (with a per-run token in it). */
  webhookURL?: string;
  numberResults: number;
  includeCost: true;
  includeUsage: true;
  outputFormat?: 'JSON';
  jsonSchema?: { name: string; strict: boolean; schema: Record<string, unknown> };
  tools?: WireTool[];
  toolChoice?: WireToolChoice;
  inputs?: { images: string[] };
  messages: { role: 'user' | 'assistant'; content: string }[];
  settings: { systemPrompt?: string; maxTokens: number; thinkingLevel: string };
}

/**
 * The wire task for a request. Cost and usage are always asked for; `outputFormat` is sent only when it
 * is JSON (TEXT is the API's default), with the schema already in `{name, strict, schema}` form.
 */
export function toRunwareTask(request: InferenceRequest, taskUUID: string, extra: { webhookURL?: string } = {}): RunwareTextTask {
  return {
    taskType: 'textInference',
    taskUUID,
    model: request.model,
    deliveryMethod: request.deliveryMethod ?? 'sync',
    ...(extra.webhookURL !== undefined ? { webhookURL: extra.webhookURL } : {}),
    numberResults: request.numberResults,
    includeCost: true,
    includeUsage: true,
    ...(request.outputFormat === 'JSON' ? { outputFormat: 'JSON' as const } : {}),
    ...(request.outputFormat === 'JSON' && request.jsonSchema ? { jsonSchema: request.jsonSchema } : {}),
    ...(request.images ? { inputs: { images: request.images } } : {}),
    ...(request.tools ? { tools: request.tools } : {}),
    ...(request.toolChoice ? { toolChoice: request.toolChoice } : {}),
    messages: request.messages,
    settings: {
      ...(request.systemPrompt !== undefined ? { systemPrompt: request.systemPrompt } : {}),
      maxTokens: request.maxTokens,
      thinkingLevel: request.thinkingLevel,
    },
  };
}
