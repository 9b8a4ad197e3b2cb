import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('refuses a suite the config glob reaches through a symlink to a file outside the project, without reading it', async () => {
    writeFileSync(path.join(root, 'outside', 'secret.yaml'), `suite: x\nnote: ${SECRET}\n`);
    symlinkSync(path.join(root, 'outside', 'secret.yaml'), path.join(project, 'evals', 'link.yaml'));
    const { code, text } = await validate();
    expect(code).toBe(2);
    expect(text).toMatch(/evals\/link\.yaml:1:1 error PATH_OUTSIDE_PROJECT suite evals\/link\.yaml leaves the project folder, through a symlink; it was not read/);
    expect(text).toContain('hint: keep suites under');
    expect(text).not.toContain('rw_live_5ecr3t');
    expect(text).not.toContain('UNKNOWN_KEY');
  });

  it('refuses suites in a symlinked folder that leads out, and a suite named on the command line outside the project', async () => {
    writeFileSync(path.join(root, 'outside', 'other.yaml'), `suite: other\nnote: ${SECRET}\n`);
    symlinkSync(path.join(root, 'outside'), path.join(project, 'evals', 'shared'));
    const viaFolder = memoryIo({ cwd: project });
    expect(await runCli(['validate', 'evals'], viaFolder)).toBe(2);
    expect(viaFolder.err()).toMatch(/suite evals\/shared\/other\.yaml leaves the project folder, through a symlink/);
    expect(viaFolder.err()).not.toContain('rw_live_5ecr3t');
    const io = memoryIo({ cwd: project });
    expect(await runCli(['validate', '../outside/other.yaml'], io)).toBe(2);
    expect(io.err()).toMatch(/suite \S*other\.yaml leaves the project folder; it was not read/);
    expect(io.err()).toMatch(/hint: the project folder is \S+project \(where the config is\); run evalgate from the project that holds the suite, or point --config at its evalconfig\.yaml/);
    expect(io.err()).not.toContain('rw_live_5ecr3t');
  });

  it('refuses an evalconfig.yaml that links out of the folder it is found in, and reads one that --config names', async () => {
    writeFileSync(path.join(root, 'outside', 'evalconfig.yaml'), 'suites: ["evals/*.yaml"]\nprovider: simulator\n');
    rmSync(path.join(project, 'evalconfig.yaml'));
    symlinkSync(path.join(root, 'outside', 'evalconfig.yaml'), path.join(project, 'evalconfig.yaml'));
    writeSuite('schema.json');
    writeFileSync(path.join(project, 'evals', 'schema.json'), '{"type": "object"}');
    const { code, text } = await validate();
    expect(code).toBe(2);
    expect(text).toMatch(/evalconfig\.yaml leaves the project folder, through a symlink; it was not read/);
    expect(text).toContain('hint: name it with --config evalconfig.yaml');
    const io = memoryIo({ cwd: project });
    expect(await runCli(['validate', '--config', 'evalconfig.yaml'], io), io.err()).toBe(0);
  });

  it('calibrate refuses a labels file outside the project, or linked out of it, with exit 2 and without reading it', async () => {
    const judged = path.join(root, 'judged');
    cpSync(path.resolve(import.meta.dirname, '../fixtures/projects/judged'), judged, { recursive: true });
    writeFileSync(path.join(root, 'outside', 'labels.jsonl'), `{"case": "x", "text": "${SECRET}", "pass": "maybe"}\n`);
    symlinkSync(path.join(root, 'outside', 'labels.jsonl'), path.join(judged, 'labels.jsonl'));
    for (const [labels, how] of [['../outside/labels.jsonl', ''], ['labels.jsonl', ', through a symlink']] as const) {
      const io = memoryIo({ cwd: judged });
      expect(await runCli(['calibrate', 'evals/notes.yaml', '--labels', labels, '--provider', 'simulator'], io), labels).toBe(2);
      expect(io.err()).toContain(`error USAGE: labels file ${labels === 'labels.jsonl' ? 'labels.jsonl' : path.join(root, 'outside', 'labels.jsonl')} leaves the project folder${how}; it was not read`);
      expect(io.err()).toContain(`hint: keep labels under ${judged} (the folder of evalconfig.yaml, else the working folder)`);
      expect(io.err()).not.toContain('rw_live_5ecr3t');
    }
  });
});
