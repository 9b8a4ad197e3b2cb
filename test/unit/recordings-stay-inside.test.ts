import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { readCassettes } from '../../src/providers/replay/cassette.js';
import { loadScenarios } from '../../src/simulator/scenario.js';

const SECRET = 'TOP-SECRET-VALUE';
const SCENARIO = "scenario: greet\nmatch: 'hello'\nlevels:\n  none: {accuracy: 1, thinkingTokens: 0, latencyMs: 1}\nanswers:\n  - when: 'hello'\n    correct: 'hi'\n    wrong: ['bye']\n";
const CASSETTE = JSON.stringify({ request: { model: 'm', messages: [] }, outcomes: [] });

let root: string;
let project: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'evalgate-recordings-'));
  project = path.join(root, 'project');
  mkdirSync(path.join(project, 'scenarios'), { recursive: true });
  mkdirSync(path.join(project, 'cassettes'), { recursive: true });
  mkdirSync(path.join(root, 'outside'));
  writeFileSync(path.join(root, 'outside', 'secret.yaml'), `scenario: ${SECRET}\n`);
  writeFileSync(path.join(root, 'outside', 'secret.json'), JSON.stringify({ request: { secret: SECRET }, outcomes: [] }));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('scenarios stay inside the project', () => {
  it('reads the scenarios of the folder, and refuses one linked from elsewhere without reading it', async () => {
    writeFileSync(path.join(project, 'scenarios', 'ok.yaml'), SCENARIO);
    expect(await loadScenarios(path.join(project, 'scenarios'), project, project)).toHaveLength(1);
    symlinkSync(path.join(root, 'outside', 'secret.yaml'), path.join(project, 'scenarios', 'link.yaml'));
    const error = await loadScenarios(path.join(project, 'scenarios'), project, project).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const [diagnostic] = (error as ConfigError).diagnostics;
    expect(diagnostic).toMatchObject({ code: 'PATH_OUTSIDE_PROJECT', file: path.join('scenarios', 'link.yaml') });
    expect(diagnostic!.message).toBe('scenario scenarios/link.yaml leaves the project folder, through a symlink; it was not read');
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it('holds a folder named on the command line to itself', async () => {
    symlinkSync(path.join(root, 'outside', 'secret.yaml'), path.join(project, 'scenarios', 'link.yaml'));
    const error = await loadScenarios(path.join(project, 'scenarios'), project).catch((e: unknown) => e);
    expect((error as ConfigError).diagnostics[0]!.message).toMatch(/leaves its folder, through a symlink/);
  });
});

describe('cassettes stay inside the project and are recordings', () => {
  it('reads the cassettes of the folder by key', async () => {
    writeFileSync(path.join(project, 'cassettes', 'abc.json'), CASSETTE);
    const cassettes = await readCassettes(path.join(project, 'cassettes'), project, project);
    expect([...cassettes.keys()]).toEqual(['abc']);
  });

  it('refuses a cassette linked from outside the project, and one that is not a recording, naming each', async () => {
    writeFileSync(path.join(project, 'cassettes', 'abc.json'), CASSETTE);
    writeFileSync(path.join(project, 'cassettes', 'broken.json'), '{broken');
    writeFileSync(path.join(project, 'cassettes', 'empty.json'), '{}');
    symlinkSync(path.join(root, 'outside', 'secret.json'), path.join(project, 'cassettes', 'link.json'));
    const error = await readCassettes(path.join(project, 'cassettes'), project, project).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'USAGE' });
    const message = (error as Error).message;
    expect(message).toMatch(/^3 cassettes cannot be replayed:/);
    expect(message).toContain('cassettes/broken.json is not a recording: ');
    expect(message).toContain('cassettes/empty.json is not a recording: it has no request and outcomes');
    expect(message).toContain('cassettes/link.json leaves the project folder, through a symlink; it was not read');
    expect(message).not.toContain(SECRET);
  });

  it('holds a folder named on the command line to itself', async () => {
    symlinkSync(path.join(root, 'outside', 'secret.json'), path.join(project, 'cassettes', 'link.json'));
    await expect(readCassettes(path.join(project, 'cassettes'), project)).rejects.toThrow(/link\.json leaves its folder, through a symlink/);
  });

  it('is empty for a folder that does not exist', async () => {
    expect((await readCassettes(path.join(project, 'none'), project, project)).size).toBe(0);
  });
});
