/** One cell of a CSV file, with where it starts (1-based). */
export interface CsvCell {
  text: string;
  line: number;
  column: number;
}

/** A CSV record: its cells and the line it starts on. */
export interface CsvRecord {
  line: number;
  cells: CsvCell[];
}

/** A syntax problem: an unclosed quote, or text after a closing quote. */
export interface CsvProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * Parses CSV as RFC 4180 has it: comma-separated, fields optionally in double quotes (`""` is a quote
 * inside one, and a quoted field may span lines), records ended by LF or CRLF. Every cell keeps its
 * line and column, so a bad value in row 9,000 is reported where it is. Blank lines are skipped.
 * Small and exact rather than a dependency: what a data file needs is positions, not dialects.
 */
export function parseCsv(text: string): { records: CsvRecord[]; problems: CsvProblem[] } {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = i === 1 ? 1 : 0;
  const n = text.length;
  while (i < n) {
    const record: CsvRecord = { line, cells: [] };
    for (;;) {
      const cellLine = line;
      const column = i - lineStart + 1;
      let value = '';
      if (text[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          // Copy up to the next quote in one slice, counting the newlines it spans.
          const quote = text.indexOf('"', i);
          const end = quote === -1 ? n : quote;
          for (let nl = text.indexOf('\n', i); nl !== -1 && nl < end; nl = text.indexOf('\n', nl + 1)) {
            line++;
            lineStart = nl + 1;
          }
          value += text.slice(i, end);
          i = end;
          if (quote === -1) break;
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        if (!closed) {
          problems.push({ line: cellLine, column, message: 'a quoted field is never closed' });
          return { records, problems };
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          problems.push({ line, column: i - lineStart + 1, message: 'text after a closing quote; a quote inside a quoted field is written ""' });
          while (i < n && text[i] !== ',' && text[i] !== '\n') i++;
        }
      } else {
        const start = i;
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i++;
        value = text.slice(start, i);
      }
      record.cells.push({ text: value, line: cellLine, column });
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') {
        i++;
        line++;
        lineStart = i;
      }
      break;
    }
    const isBlank = record.cells.length === 1 && record.cells[0]!.text === '';
    if (!isBlank) records.push(record);
  }
  return { records, problems };
}
