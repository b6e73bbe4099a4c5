// Builds every UI extension of the project on its own, the way HubSpot's build does it after `hs project upload`:
// the extension's folder is the build root, only the workspace packages travel with it, only the dependencies
// its package.json declares can be resolved, and the bundle is made by HubSpot's own builder
// (@hubspot/ui-extensions-dev-server's remoteBuild: Vite, React external, minified). No network is used.
//
// A parent-folder import, an undeclared package or a missing file fails the build here as it would at HubSpot.
// Usage: node scripts/build-extensions.mjs [--keep]   (--keep leaves the staged copies for inspection)
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync }
  from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remoteBuild } from '@hubspot/ui-extensions-dev-server/build';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const appDir = join(projectRoot, 'src', 'app');
const nodeModules = join(projectRoot, 'node_modules');
const generatedSettings = join('packages', 'shared', 'settings.generated.js');
const testSettings = join(projectRoot, 'tests', 'fixtures', 'settings.generated.js');
const keep = process.argv.includes('--keep');

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** Every *-hsmeta.json with an entry point: the UI extensions HubSpot builds. */
function extensions() {
  const found = [];
  for (const entry of readdirSync(appDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'packages' || entry.name === 'node_modules') continue;
    for (const file of readdirSync(join(appDir, entry.name))) {
      if (!file.endsWith('-hsmeta.json')) continue;
      const meta = readJson(join(appDir, entry.name, file));
      if (meta.config?.entrypoint) found.push({ folder: entry.name, meta: file, entrypoint: meta.config.entrypoint });
    }
  }
  return found;
}

const skip = (source) => !['node_modules', 'dist'].includes(basename(source));

/** Links a package as `<stageApp>/node_modules/<name>` (scoped names get their scope folder). */
function linkPackage(stageNodeModules, name, target) {
  const link = join(stageNodeModules, name);
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(target, link, statSync(target).isDirectory() ? 'dir' : 'file');
}

function stage(extension) {
  const stageRoot = mkdtempSync(join(tmpdir(), `hubbooks-${extension.folder}-`));
  const stageApp = join(stageRoot, 'app');
  // What HubSpot has when it builds this extension: its own folder, the app's package.json and the workspace
  // packages. Sibling extensions are deliberately left out, so reaching into them fails.
  cpSync(join(appDir, extension.folder), join(stageApp, extension.folder), { recursive: true, filter: skip });
  cpSync(join(appDir, 'packages'), join(stageApp, 'packages'), { recursive: true, filter: skip });
  cpSync(join(appDir, 'package.json'), join(stageApp, 'package.json'));
  const settingsTarget = join(stageApp, generatedSettings);
  const ownSettings = existsSync(settingsTarget);
  if (!ownSettings) cpSync(testSettings, settingsTarget);

  const declared = readJson(join(appDir, extension.folder, 'package.json')).dependencies ?? {};
  const stageNodeModules = join(stageApp, 'node_modules');
  const workspaces = Object.fromEntries(readdirSync(join(stageApp, 'packages')).map((dir) => {
    const path = join(stageApp, 'packages', dir);
    return [readJson(join(path, 'package.json')).name, path];
  }));
  for (const name of Object.keys(declared)) {
    const target = workspaces[name] ?? join(nodeModules, name);
    if (!existsSync(target)) throw new Error(`${extension.folder}/package.json depends on ${name}, which is not installed`);
    linkPackage(stageNodeModules, name, target);
  }
  // A workspace package's own dependencies are peers of the extension's: resolve them the same way.
  for (const path of Object.values(workspaces)) {
    for (const name of Object.keys(readJson(join(path, 'package.json')).peerDependencies ?? {})) {
      if (!declared[name]) throw new Error(`${extension.folder}/package.json must declare ${name} (a peer of ${path})`);
    }
  }
  return { stageRoot, stageApp, usedTestSettings: !ownSettings };
}

async function build(extension) {
  const { stageRoot, stageApp, usedTestSettings } = stage(extension);
  try {
    await buildStaged(extension, stageRoot, stageApp, usedTestSettings);
  } finally {
    if (keep) console.log(`  staged in ${stageRoot}`);
    else rmSync(stageRoot, { recursive: true, force: true });
  }
}

async function buildStaged(extension, stageRoot, stageApp, usedTestSettings) {
  const entryPoint = join(stageApp, extension.entrypoint.replace(/^\/?app\//, ''));
  const root = dirname(entryPoint);
  const outputDir = join(stageRoot, 'dist');
  const warnings = [];
  const originalWarn = console.warn;
  console.warn = (...args) => { warnings.push(args.join(' ')); originalWarn(...args); };
  try {
    await remoteBuild({ root, entryPoint, outputDir, logLevel: 'warn', appConfig: { variables: {} } });
  } finally {
    console.warn = originalWarn;
  }
  const outside = warnings.filter((w) => /outside of the extension directory|require statements/.test(w));
  if (outside.length) throw new Error(`${extension.folder}: ${outside.join('; ')}`);
  const bundle = readdirSync(outputDir).find((file) => file.endsWith('.js'));
  const manifest = readdirSync(outputDir).find((file) => file.endsWith('manifest.json'));
  if (!bundle || !manifest) throw new Error(`${extension.folder}: the build wrote no bundle or manifest`);
  const size = statSync(join(outputDir, bundle)).size;
  console.log(`built ${extension.folder}/${extension.meta} -> ${bundle} (${(size / 1024).toFixed(1)} KiB) and ${manifest}` +
    `${usedTestSettings ? ' [test settings module]' : ''}`);
}

const all = extensions();
if (all.length === 0) {
  console.error('No UI extension (*-hsmeta.json with an entrypoint) found under src/app');
  process.exit(1);
}
let failed = 0;
for (const extension of all) {
  try {
    await build(extension);
  } catch (error) {
    failed += 1;
    console.error(`FAILED to build ${extension.folder} alone: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
