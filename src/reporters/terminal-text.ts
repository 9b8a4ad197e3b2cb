// ESC-introduced sequences (CSI, OSC and two-byte escapes) and every other C0/C1 control character.
// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// The CSI sequences a text ends with (a style's closing code).
// eslint-disable-next-line no-control-regex
const TRAILING_SEQUENCES = /(?:\u001b\[[0-?]*[ -/]*[@-~])*$/;

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

/** How many characters `text` takes on a terminal: escape sequences take none. */
export function visibleLength(text: string): number {
  return [...text.replace(ANSI_SEQUENCE, '')].length;
}

/**
 * Cuts `text` to at most `columns` visible characters, ending in `…` when cut. Escape sequences take
 * no room and are all kept, so a style opened before the cut is still closed after it.
 */
export function fitToWidth(text: string, columns: number): string {
  if ([...text.replace(ANSI_SEQUENCE, '')].length <= columns) return text;
  let room = Math.max(0, columns - 1);
  const keepVisible = (chars: string) => {
    const kept = [...chars].slice(0, room);
    room -= kept.length;
    return kept.join('');
  };
  let out = '';
  let at = 0;
  for (const match of text.matchAll(ANSI_SEQUENCE)) {
    out += keepVisible(text.slice(at, match.index)) + match[0];
    at = match.index + match[0].length;
  }
  out += keepVisible(text.slice(at));
  if (columns <= 0) return out;
  // The ellipsis goes before the trailing sequences (a style's closing code), inside the style.
  const tail = TRAILING_SEQUENCES.exec(out)![0];
  return `${out.slice(0, out.length - tail.length)}…${tail}`;
}
