import picomatch from 'picomatch';

/** A predicate over cases built from `--filter` values. */
export type CaseFilter = (suite: string, caseId: string, tags: readonly string[]) => boolean;

/**
 * Builds the case filter from `--filter` values. Each value is either `tag:<name>` or a glob over
 * `suite/case` (`invoice-*`, `*\/acme-*`); a value without `/` matches the suite or the case name.
 * A case is kept when any value matches; no values keeps everything.
 */
export function compileCaseFilter(patterns: readonly string[]): CaseFilter {
  if (patterns.length === 0) return () => true;
  const tests = patterns.map((pattern): CaseFilter => {
    if (pattern.startsWith('tag:')) {
      const tag = pattern.slice(4);
      return (_suite, _case, tags) => tags.includes(tag);
    }
    const isMatch = picomatch(pattern, { nocase: false, dot: true });
    if (pattern.includes('/')) return (suite, caseId) => isMatch(`${suite}/${caseId}`);
    return (suite, caseId) => isMatch(suite) || isMatch(caseId);
  });
  return (suite, caseId, tags) => tests.some((test) => test(suite, caseId, tags));
}
