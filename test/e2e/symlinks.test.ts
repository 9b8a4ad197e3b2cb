import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { memoryIo } from '../support/memory-io.js';

const SECRET = 'RUNWARE_API_KEY=rw_live_5ecr3t_9f2c';
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/**
 * A project in `project/` beside an `outside/` folder holding a `.env` and an image; the suite names
 * its schema and image by paths that read as inside the project.
 */
describe('files a suite reads stay inside the project, after symlinks', () => {
  let root: string;
  let project: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'evalgate-links-'));
    project = path.join(root, 'project');
    mkdirSync(path.join(project, 'evals'), { recursive: true });
    mkdirSync(path.join(root, 'outside'));
    writeFileSync(path.join(root, 'outside', '.env'), `${SECRET}\n`);
    writeFileSync(path.join(root, 'outside', 'image.png'), PNG);
    writeFileSync(path.join(project, 'evalconfig.yaml'), 'suites: ["evals/*.yaml"]\nprovider: simulator\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const writeSuite = (schema: string, image?: string) =>
    writeFileSync(
      path.join(project, 'evals', 'linked.yaml'),
      [
        'suite: linked',
        'model: openai-gpt-5-5',
        'settings: {maxTokens: 200}',
        'outputFormat: JSON',
        `jsonSchema: ${schema}`,
        'cases:',
        '  - id: one',
        '    messages: [{role: user, content: "Say hello."}]',
        ...(image ? [`    inputs: {images: [${image}]}`] : []),
        '',
      ].join('\n'),
    );
  const validate = async () => {
    const io = memoryIo({ cwd: project });
    const code = await runCli(['validate'], io);
    return { code, text: io.out() + io.err() };
  };

  it('refuses a schema that is a symlink to a file outside the project, and never prints what that file holds', async () => {
    symlinkSync(path.join(root, 'outside', '.env'), path.join(project, 'evals', 'schema.json'));
    writeSuite('schema.json');
    const { code, text } = await validate();
    expect(code).toBe(2);
    expect(text).toMatch(/PATH_OUTSIDE_PROJECT.*schema path "schema\.json" leaves the project folder, through a symlink/);
    expect(text).not.toContain('rw_live_5ecr3t');
    expect(text).not.toContain('RUNWARE_API_KEY=');
  });

  it('refuses a schema reached through a symlinked folder, and an image that is a symlink out', async () => {
    symlinkSync(path.join(root, 'outside'), path.join(project, 'shared'));
    symlinkSync(path.join(root, 'outside', 'image.png'), path.join(project, 'evals', 'image.png'));
    writeSuite('../shared/.env', 'image.png');
    const { code, text } = await validate();
    expect(code).toBe(2);
    expect(text).toMatch(/schema path "\.\.\/shared\/\.env" leaves the project folder, through a symlink/);
    expect(text).toMatch(/image path "image\.png" leaves the project folder, through a symlink/);
    expect(text).not.toContain('rw_live_5ecr3t');
  });

  it('follows a symlink that stays inside the project', async () => {
    mkdirSync(path.join(project, 'schemas'));
    writeFileSync(path.join(project, 'schemas', 'greeting.json'), '{"type": "object"}');
    symlinkSync(path.join(project, 'schemas', 'greeting.json'), path.join(project, 'evals', 'schema.json'));
    writeSuite('schema.json');
    expect((await validate()).code).toBe(0);
  });

  it('says where a schema file inside the project is broken without quoting it', async () => {
    writeFileSync(path.join(project, 'evals', 'schema.json'), `{"type": "object", "note": "${SECRET}"\n`);
    writeSuite('schema.json');
    const { code, text } = await validate();
    expect(code).toBe(2);
    expect(text).toContain('BAD_JSON_SCHEMA');
    expect(text).toMatch(/schema\.json is not valid JSON or YAML \([a-z ]+ at line \d+, column \d+\)/);
    expect(text).not.toContain('rw_live_5ecr3t');
  });

  it('says a schema file that is not an object is not a schema, at the suite, without quoting it', async () => {
    writeFileSync(path.join(project, 'evals', 'schema.json'), `${SECRET}\n`);
    writeSuite('schema.json');
    const { code, text } = await validate();
    expect(code).toBe(2);
    expect(text).toContain('evals/schema.json is not a JSON Schema: its content is not an object');
    expect(text).not.toContain('rw_live_5ecr3t');
  });
});
