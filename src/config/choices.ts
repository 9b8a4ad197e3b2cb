/** Closed lists of names the CLI and the config share; free of dependencies so the CLI starts fast. */

export const PROVIDERS = ['runware', 'simulator', 'replay'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const REPORTERS = ['console', 'json', 'junit', 'markdown', 'html'] as const;
export type ReporterName = (typeof REPORTERS)[number];
