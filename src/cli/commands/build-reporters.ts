import type { ReporterName } from '../../config/config-schema.js';
import { createAnnotationReporter } from '../../reporters/annotation-reporter.js';
import { createConsoleReporter } from '../../reporters/console-reporter.js';
import { createHtmlReporter } from '../../reporters/html-reporter.js';
import { createJunitReporter } from '../../reporters/junit-reporter.js';
import { createMarkdownReporter } from '../../reporters/markdown-reporter.js';
import type { Reporter } from '../../run/run-events.js';
import { createSummaryJsonReporter } from '../../reporters/summary-json-reporter.js';
import { createVerdictReporter } from '../../reporters/verdict-reporter.js';
import { isColorWanted, type CliIo } from '../cli-io.js';

/**
 * The reporters named by `--reporter` or the config, each once, after summary.json's: summary.json is
 * part of the run folder whatever is chosen (`--baseline`, `baseline save`, `compare` and `advise` read
 * it), so `json` is always first. In a GitHub Actions job
 * (GITHUB_ACTIONS=true) also the gate's workflow annotations, which change no file and no exit code
 * (not for one shard of a run: its verdict is partial, the merge's is the one to annotate). Without
 * `console`, the verdict alone, on stderr.
 */
export function buildReporters(names: readonly ReporterName[], io: CliIo, options: { color?: boolean | undefined; quiet?: boolean | undefined; isShard?: boolean }): Reporter[] {
  const annotations = io.env.GITHUB_ACTIONS === 'true' && !options.isShard ? [createAnnotationReporter({ write: (t) => io.stdout.write(t), cwd: io.cwd })] : [];
  const named = [...new Set<ReporterName>(['json', ...names])].map((name): Reporter => {
    switch (name) {
      case 'console':
        return createConsoleReporter({
          write: (t) => io.stdout.write(t),
          isTTY: io.stdout.isTTY,
          columns: () => io.stdout.columns,
          color: isColorWanted(io, options.color),
          now: () => performance.now(),
          cwd: io.cwd,
          showProgress: !options.quiet,
        });
      case 'json':
        return createSummaryJsonReporter();
      case 'junit':
        return createJunitReporter();
      case 'markdown':
        return createMarkdownReporter();
      case 'html':
        return createHtmlReporter();
    }
  });
  // Without the console report, the verdict and its reasons still reach the screen (on stderr: stdout stays as chosen).
  const verdict = names.includes('console') ? [] : [createVerdictReporter({ write: (t) => io.stderr.write(t), color: options.color ?? (io.stderr.isTTY && io.env.NO_COLOR === undefined), cwd: io.cwd })];
  return [...named, ...verdict, ...annotations];
}
