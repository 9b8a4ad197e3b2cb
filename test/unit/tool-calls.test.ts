import { describe, expect, it } from 'vitest';
import { JsonSchemaCompiler } from '../../src/config/json-schema-compiler.js';
import type { ResolvedToolCallAssertion } from '../../src/config/loaded-suite.js';
import { readToolCalls, ToolCallStream } from '../../src/providers/runware/read-tool-calls.js';
import { readResultItem } from '../../src/providers/runware/read-result-item.js';
import type { ToolCall } from '../../src/core/sample-record.js';
import { makeView } from '../support/builders.js';
import { compile } from '../support/compile.js';

const weather = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
const compiled = new JsonSchemaCompiler().compile(weather);
const validate = compiled.ok ? compiled.validate : undefined;
const call = (name: string, args: unknown, extra: Partial<ToolCall> = {}): ToolCall => ({ id: null, name, arguments: args, ...extra });
const toolCall = (spec: Partial<ResolvedToolCallAssertion> = {}) => compile({ type: 'toolCall', not: false, ...spec });

describe('readToolCalls: the plausible shapes, provisional', () => {
  it('reads Runware-style tools: [{id, name, input}], input an object or a JSON string', async () => {
    expect(readToolCalls({ tools: [{ id: 'c1', name: 'get_weather', input: { city: 'Paris' } }, { id: 'c2', name: 'get_time', input: '{"zone":"CET"}' }] })).toEqual([
      { id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } },
      { id: 'c2', name: 'get_time', arguments: { zone: 'CET' } },
    ]);
  });

  it('reads OpenAI-style tool_calls, on the result or on its message', async () => {
    const openai = [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }];
    expect(readToolCalls({ tool_calls: openai })).toEqual([{ id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } }]);
    expect(readToolCalls({ message: { tool_calls: openai } })).toEqual([{ id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } }]);
  });

  it('keeps a call whose arguments are not JSON, saying why, and skips nameless entries and echoed tool definitions', async () => {
    const calls = readToolCalls({ tools: [{ name: 'broken', input: '{city: Paris' }, { input: {} }, { type: 'function', name: 'get_weather', description: 'd', schema: weather }] });
    expect(calls).toEqual([{ id: null, name: 'broken', arguments: null, argumentsError: expect.stringContaining('not JSON') }]);
  });

  it('makes a result of an item that only calls tools, with empty text', async () => {
    expect(readResultItem({ taskUUID: 't', tools: [{ id: 'c', name: 'get_weather', input: { city: 'Rome' } }], finishReason: 'stop' })).toMatchObject({
      text: '',
      toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }],
    });
    expect(readResultItem({ taskUUID: 't' })).toBeUndefined();
  });

  it('puts together tool calls streamed whole or in OpenAI-style fragments', async () => {
    const stream = new ToolCallStream();
    stream.add({ tools: [{ id: 'w', name: 'whole', input: { a: 1 } }] });
    stream.add({ tool_calls: [{ index: 0, id: 'f', function: { name: 'get_weather', arguments: '{"ci' } }] });
    stream.add({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Lima"}' } }] });
    expect(stream.calls()).toEqual([
      { id: 'w', name: 'whole', arguments: { a: 1 } },
      { id: 'f', name: 'get_weather', arguments: { city: 'Lima' } },
    ]);
  });
});

describe('the toolCall assertion', () => {
  it('passes when the tool was called at least once by default, and says what was called when it was not', async () => {
    expect((await toolCall({ name: 'get_weather' }).check(makeView({ toolCalls: [call('get_weather', { city: 'Paris' })] }))).pass).toBe(true);
    const missed = (await toolCall({ name: 'get_weather' }).check(makeView({ toolCalls: [call('get_time', {})] })));
    expect(missed).toMatchObject({ pass: false, message: 'expected at least 1 time of get_weather, got 0 times (called: get_time)' });
    expect((await toolCall({}).check(makeView({ toolCalls: [] }))).message).toBe('expected at least 1 time of any tool, got 0 times (called: no tool calls)');
  });

  it('counts calls: exactly count, or between min and max', async () => {
    const twice = makeView({ toolCalls: [call('get_weather', { city: 'A' }), call('get_weather', { city: 'B' })] });
    expect((await toolCall({ name: 'get_weather', count: 2 }).check(twice)).pass).toBe(true);
    expect((await toolCall({ name: 'get_weather', count: 1 }).check(twice))).toMatchObject({ pass: false, message: expect.stringContaining('expected 1 time of get_weather, got 2 times') });
    expect((await toolCall({ name: 'get_weather', max: 1 }).check(twice)).pass).toBe(false);
    expect((await toolCall({ name: 'get_weather', min: 1, max: 3 }).check(twice)).pass).toBe(true);
  });

  it("checks every call's arguments against the schema, naming the call and the problem", async () => {
    const spec = { name: 'get_weather', validate: validate!, schemaLabel: "tool get_weather's schema" };
    expect((await toolCall(spec).check(makeView({ toolCalls: [call('get_weather', { city: 'Paris' })] })))).toMatchObject({
      pass: true,
      message: "get_weather called 1 time, arguments valid against tool get_weather's schema",
    });
    const bad = (await toolCall(spec).check(makeView({ toolCalls: [call('get_weather', { city: 'Paris' }), call('get_weather', { town: 'Paris' })] })));
    expect(bad).toMatchObject({ pass: false, message: expect.stringMatching(/^call 2 of get_weather: arguments not valid against tool get_weather's schema: .*city/) });
    const unparsable = (await toolCall(spec).check(makeView({ toolCalls: [call('get_weather', null, { argumentsError: 'not JSON: Unexpected token' })] })));
    expect(unparsable).toMatchObject({ pass: false, message: 'call 1 of get_weather: arguments not JSON: Unexpected token' });
  });

  it('with not, passes only when the tool was not called', async () => {
    expect((await toolCall({ name: 'delete_account', not: true }).check(makeView({ toolCalls: [call('get_weather', {})] }))).pass).toBe(true);
    expect((await toolCall({ name: 'delete_account', not: true }).check(makeView({ toolCalls: [call('delete_account', {})] }))).pass).toBe(false);
  });
});

describe('tools on the wire', () => {
  it('sends tools and toolChoice in the task as Runware takes them, and reads the calls that come back', async () => {
    const { MockRunwareApi, resultItem } = await import('../support/mock-runware-api.js');
    const { makeTrial } = await import('../support/builders.js');
    const api = new MockRunwareApi();
    const provider = api.provider();
    const tools = [{ type: 'function' as const, name: 'get_weather', description: 'Weather now.', schema: weather }, { type: 'search' as const }];
    api.answer((task) => ({ status: 200, body: { data: [resultItem(task, '', { tools: [{ id: 'c1', name: 'get_weather', input: { city: 'Paris' } }] })] } }));
    const outcome = await provider.send({ ...makeTrial().request, tools, toolChoice: { type: 'tool', name: 'get_weather' } }, { signal: new AbortController().signal, timeoutMs: 5000 });
    await provider.close();
    await api.close();
    expect(api.received[0]!.tasks[0]).toMatchObject({ tools, toolChoice: { type: 'tool', name: 'get_weather' } });
    expect(outcome.results[0]).toMatchObject({ text: '', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }] });
  });
});
