/**
 * The kinds of check a suite may ask for, by the `type` a suite writes. The record of an outcome names
 * one; the suite schema (config/assertion-spec-schema.ts) defines one spec per type and is checked
 * against this list at compile time.
 */
export const ASSERTION_TYPE_NAMES = ['regex', 'contains', 'isJson', 'jsonSchema', 'finishReason', 'tokens', 'costUsd', 'latencyMs', 'toolCall', 'judge', 'equals', 'jsonField', 'script'] as const;
export type AssertionType = (typeof ASSERTION_TYPE_NAMES)[number];
