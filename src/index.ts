/**
 * What evalgate exports to code: the types of a `script` assertion's function, so a check written in
 * TypeScript can say `export default (async (output, context) => …) satisfies ScriptCheck`.
 */
export type { ScriptCheck, ScriptContext, ScriptVerdict } from './config/script-check.js';
