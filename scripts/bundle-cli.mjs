// `npm run build`'s second step: the shipped CLI (package.json `bin`), tsc's dist/cli/main.js and what it
// imports, bundled into dist/bin/ with rolldown, so that start-up reads a few dozen files instead of
// about 300 modules of ours, zod's and undici's (docs/performance.md). Every dynamic `import()` stays a
// chunk of its own, loaded only when used, as in the unbundled build. dist/ keeps tsc's modules too:
// the library (`exports`) is those.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The packages bundled: those on the start-up path whose code only imports code (no file read beside
 * their own, no `__dirname`). Any other package (yargs and its locale files, jiti and its babel
 * build, ajv and yaml loaded through `createRequire`, the tokenizer's 2 MB table, a package added
 * later) is left to node_modules, where it loads exactly as it does unbundled.
 */
export const BUNDLED_PACKAGES = [
  'zod',
  'undici',
  'p-queue',
  'eventemitter3',
  'p-timeout',
  'js-yaml',
  'yargs-parser',
  'picomatch',
  'tinyglobby',
  'fdir',
  'fastest-levenshtein',
  'cli-table3',
  'string-width',
  'strip-ansi',
  'ansi-regex',
  'emoji-regex',
  'is-fullwidth-code-point',
  '@colors/colors',
];

const packageOf = (id) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]);
const isBare = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('node:') && !id.startsWith('\0');

/**
 * Bundles dist/cli/main.js into `outDir` (dist/bin): `evalgate.js` and its chunks; what was there before
 * is removed. Where rolldown cannot load (no build of its native binding for this platform, say),
 * `evalgate.js` imports the unbundled CLI instead: the same program, slower to start, and the build
 * says so. A bundle that fails for any other reason fails the build.
 */
export async function bundleCli({ outDir = path.join(root, 'dist/bin'), loadBundler = () => import('rolldown') } = {}) {
  let rolldown;
  try {
    ({ rolldown } = await loadBundler());
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const unbundled = path.relative(outDir, path.join(root, 'dist/cli/main.js')).split(path.sep).join('/');
    writeFileSync(path.join(outDir, 'evalgate.js'), `#!/usr/bin/env node\n// rolldown could not load here, so the CLI is not bundled (scripts/bundle-cli.mjs).\nimport '${unbundled}';\n`);
    return { warnings: [`rolldown could not load (${error instanceof Error ? error.message : String(error)}); dist/bin/evalgate.js runs the unbundled CLI: the same commands, slower to start`] };
  }
  const warnings = [];
  const bundle = await rolldown({
    input: { evalgate: path.join(root, 'dist/cli/main.js') },
    platform: 'node',
    external: (id) => isBare(id) && !BUNDLED_PACKAGES.includes(packageOf(id)),
    onLog: (level, log) => void (level === 'warn' && warnings.push(log.message)),
  });
  try {
    await bundle.write({
      dir: outDir,
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
      // No chunk of an earlier build left beside this one's.
      cleanDir: true,
      // Readable output: a stack trace from a bug still names the function, and the region comments the module.
      minify: false,
    });
  } finally {
    await bundle.close();
  }
  return { warnings };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { warnings } = await bundleCli();
  for (const warning of warnings) process.stderr.write(`bundle-cli: ${warning}\n`);
}
