/**
 * yargs renders a command's whole help text once the command is chosen, in case it fails later and
 * the help has to be shown. evalgate's handlers only note the choice (the command runs after parsing,
 * and its errors are reported by runCli, without help), so that text is never shown; rendering it took
 * 40–80 ms of every `run` (string widths of every option, docs/performance.md). Help asked for, and
 * help shown with a usage error, are rendered when needed, as before. Left alone if yargs changes.
 */
export function skipHelpCache(parser: unknown): void {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = (parser as Internals).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}
