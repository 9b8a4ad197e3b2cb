import type { Vars } from './suite-schema.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The text with every `{{name}}` replaced, and the names that had no value. */
export interface RenderedTemplate {
  text: string;
  missing: string[];
}

/**
 * Replaces `{{name}}` placeholders with variables. `escape` transforms each inserted value (a regex
 * pattern inserts values as literals). Unknown names are left in place and reported in `missing`.
 */
export function renderTemplate(template: string, vars: Vars, escape: (value: string) => string = (v) => v): RenderedTemplate {
  const missing: string[] = [];
  const text = template.replace(PLACEHOLDER, (whole, name: string) => {
    // Only the suite's own names: `{{constructor}}` or `{{toString}}` are not variables a plain object inherits.
    const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (value === undefined) {
      if (!missing.includes(name)) missing.push(name);
      return whole;
    }
    return escape(String(value));
  });
  return { text, missing };
}

/** Escapes a string so that a RegExp matches it literally. */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
