// ESC-introduced sequences (CSI, OSC and two-byte escapes) and every other C0/C1 control character.
// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Makes untrusted text (model output, server messages) safe to print: escape sequences removed,
 * control characters shown as `�`, and, for one-line contexts, newlines and tabs as spaces.
 */
export function sanitizeForTerminal(text: string, options: { singleLine?: boolean } = {}): string {
  const cleaned = text.replace(ANSI_SEQUENCE, '').replace(CONTROL, '\uFFFD');
  return options.singleLine ? cleaned.replace(/[\r\n\t]+/g, ' ') : cleaned;
}

const STYLES = { red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39], dim: [2, 22], bold: [1, 22] } as const;
export type Style = keyof typeof STYLES;

/** Wraps text in an ANSI style, or returns it unchanged when colour is off. */
export type Painter = (style: Style, text: string) => string;

export function makePainter(isColorEnabled: boolean): Painter {
  if (!isColorEnabled) return (_style, text) => text;
  return (style, text) => `\u001b[${STYLES[style][0]}m${text}\u001b[${STYLES[style][1]}m`;
}
