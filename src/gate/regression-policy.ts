import type { GateSchema } from '../config/config-schema.js';
import type { z } from 'zod';

/** When a change from the baseline counts as a regression: `gate:` in evalconfig.yaml, defaults filled in. */
export type RegressionPolicy = z.output<typeof GateSchema>;

/** The power the gate states its minimum detectable drop at. */
export const STATED_POWER = 0.8;
