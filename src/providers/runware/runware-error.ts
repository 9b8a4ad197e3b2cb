/** One entry of Runware's `errors` array (or its singular `error`). */
export interface RunwareError {
  code?: string;
  message?: string;
  taskUUID?: string;
  parameter?: string | string[];
}

/** The errors of a response body: its `errors` array and its singular `error`, whichever it has. */
export function collectErrors(body: Record<string, unknown>): RunwareError[] {
  const list: unknown[] = Array.isArray(body.errors) ? [...body.errors] : [];
  if (body.error !== undefined) list.push(typeof body.error === 'string' ? { message: body.error } : body.error);
  return list.filter((e): e is RunwareError => e !== null && typeof e === 'object');
}

/** `code: message (parameter: …)`, or undefined for no error. */
export function describeError(error: RunwareError | undefined): string | undefined {
  if (!error) return undefined;
  const parameter = Array.isArray(error.parameter) ? error.parameter.join(', ') : error.parameter;
  const text = [error.code, error.message].filter(Boolean).join(': ') || 'unknown error';
  return parameter ? `${text} (parameter: ${parameter})` : text;
}

/** A JSON value as an object, or undefined when it is anything else. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A body excerpt for messages: quoted, at most 120 characters. */
export function excerpt(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}
