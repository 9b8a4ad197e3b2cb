import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from '../../config/display-path.js';
import { JsonSchemaCompiler, formatAjvErrors } from '../../config/json-schema-compiler.js';
import { loadProject } from '../../config/load-project.js';
import { EvalgateError, ExitCode } from '../../core/evalgate-error.js';
import { draftScenario } from '../../simulator/draft-scenario.js';
import type { CliIo } from '../cli-io.js';
import type { ScenarioArgs } from '../cli-options.js';

/**
 * `evalgate scenario <suite>`: writes a starting simulator scenario for a suite into
 * `simulator.scenarios`, so an offline run of a new suite answers its cases instead of placeholders.
 */
export async function scenarioCommand(args: ScenarioArgs, io: CliIo): Promise<number> {
  const project = await loadProject({ cwd: io.cwd, ...(args.config !== undefined ? { configPath: args.config } : {}), suitePaths: [args.suite] });
  if (project.suites.length !== 1) {
    throw new EvalgateError('USAGE', `${args.suite} holds ${project.suites.length} suites; give one suite file`, { hint: `e.g. evalgate scenario ${project.suites[0]?.file ?? 'evals/my-suite.yaml'}` });
  }
  const suite = project.suites[0]!;
  const draft = draftScenario(suite);
  if (suite.jsonSchema) {
    const compiled = new JsonSchemaCompiler().compile(suite.jsonSchema.schema);
    const invalid = compiled.ok ? draft.jsonAnswers.filter((answer) => !compiled.validate(answer)) : [];
    if (compiled.ok && invalid.length > 0) {
      io.stderr.write(`note: the drafted JSON answer does not satisfy the suite's jsonSchema (${formatAjvErrors(compiled.validate.errors)}); edit it in the scenario\n`);
    }
  }
  const file = args.out !== undefined ? path.resolve(io.cwd, args.out) : path.resolve(project.config.rootDir, project.config.simulator.scenarios, `${suite.name}.yaml`);
  if (existsSync(file) && !args.force) throw new EvalgateError('USAGE', `${displayPath(file, io.cwd)} already exists; nothing was written`, { hint: 'use --force to overwrite, or --out to choose another file' });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, draft.yaml);
  const todo = suite.jsonSchema && suite.outputFormat === 'JSON' ? 'its answers satisfy the suite\'s jsonSchema; make some of them right for each case' : 'replace each TODO with a right and a wrong answer';
  io.stdout.write(`wrote ${displayPath(file, io.cwd)} (${suite.cases.length} cases): ${todo}, then evalgate run --provider simulator ${suite.file}\n`);
  return ExitCode.ok;
}
