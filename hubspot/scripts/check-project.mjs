// Reads the project the way `hs project upload --profile <name>` does before it uploads, with the HubSpot CLI's own
// parser (@hubspot/project-parsing-lib, the version @hubspot/cli 8.14 uses), offline:
// - the platform version is one HubSpot knows;
// - every *-hsmeta.json parses, and a profile shaped like the one `make hubspot-config` writes fills every
//   ${VARIABLE} (a missing one is an error, as at upload);
// - the npm workspace packages are found from src/app/package.json, and the shared package's packed files
//   (npm-packlist, as the upload uses) include the generated settings module.
// HubSpot's schema validation needs an account and the network, so it is left to the real upload.
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isKnownPlatformVersion } from '@hubspot/project-parsing-lib/projects';
import { translate } from '@hubspot/project-parsing-lib/translate';
import {
  collectWorkspaceDirectories, findAndParsePackageJsonFiles, getPackableFiles,
} from '@hubspot/project-parsing-lib/workspaces';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const project = JSON.parse(readFileSync(join(projectRoot, 'hsproject.json'), 'utf8'));
const problems = [];

if (!isKnownPlatformVersion(project.platformVersion)) {
  problems.push(`platformVersion ${project.platformVersion} is not one the HubSpot CLI knows`);
}

// A copy of the source folder with the CI profile and a settings module, as a deployer's would look.
const stage = mkdtempSync(join(tmpdir(), 'hubbooks-project-'));
const sourceDir = join(stage, project.srcDir);
try {
  cpSync(join(projectRoot, project.srcDir), sourceDir, {
    recursive: true,
    filter: (path) => !['node_modules', 'dist'].includes(basename(path)) && !/^hsprofile\..+\.json$/.test(basename(path)),
  });
  cpSync(join(projectRoot, 'tests', 'fixtures', 'hsprofile.ci.json'), join(sourceDir, 'hsprofile.ci.json'));
  const sharedDir = join(sourceDir, 'app', 'packages', 'shared');
  writeFileSync(join(sharedDir, 'settings.generated.js'), readFileSync(
    join(projectRoot, 'tests', 'fixtures', 'settings.generated.js')));

  const { intermediateRepresentation } = await translate(
    { projectSourceDir: sourceDir, platformVersion: project.platformVersion },
    { skipValidation: true, profile: 'ci' },
  );
  const nodes = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid);
  const leftovers = JSON.stringify(nodes).match(/\$\{[^}]*\}/g);
  if (leftovers) problems.push(`profile variables left unfilled: ${[...new Set(leftovers)].join(', ')}`);
  const types = nodes.map((node) => node.componentType).sort();
  console.log(`parsed ${nodes.length} components with profile "ci": ${types.join(', ')}`);

  const packages = await findAndParsePackageJsonFiles(sourceDir);
  const workspaces = (await collectWorkspaceDirectories(packages)).map((w) => w.workspaceDir);
  const realShared = realpathSync(sharedDir);
  if (!workspaces.includes(realShared)) problems.push('the shared package is not an npm workspace of src/app');
  const packed = await getPackableFiles(sharedDir);
  if (!packed.has('settings.generated.js')) {
    problems.push('the shared package would be uploaded without settings.generated.js (check its "files")');
  }
  console.log(`workspaces: ${workspaces.map((dir) => dir.slice(sourceDir.length + 1)).join(', ')}; ` +
    `shared package ships ${[...packed].sort().join(', ')}`);
} catch (error) {
  problems.push(error.message ?? String(error));
} finally {
  rmSync(stage, { recursive: true, force: true });
}

for (const problem of problems) console.error(`project check: ${problem}`);
process.exit(problems.length ? 1 : 0);
