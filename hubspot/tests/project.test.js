// The project files HubSpot reads on `hs project upload`: shape, entry points, workspaces, profile variables, and
// scopes in step with the backend.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const json = (path) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const app = json('src/app/app-hsmeta.json');

function backendScopes() {
  const source = readFileSync(join(root, '..', 'layers/shared/hubbooks/domain/connect/hubspot_install.py'), 'utf8');
  const block = source.match(/INSTALL_SCOPES[^=]*=\s*\(([\s\S]*?)\n\)/);
  return [...block[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

function filesUnder(dir, pattern) {
  const files = [];
  const walk = (path) => readdirSync(path, { withFileTypes: true }).forEach((entry) => {
    const child = join(path, entry.name);
    if (entry.isDirectory() && !['node_modules', 'dist'].includes(entry.name)) walk(child);
    else if (pattern.test(entry.name)) files.push(child);
  });
  walk(dir);
  return files;
}

const metas = filesUnder(join(root, 'src'), /-hsmeta\.json$/).map((path) => ({ path, ...json(relative(root, path)) }));
const cards = metas.filter((meta) => meta.type === 'card');

describe('HubSpot project configuration', () => {
  it('targets platform 2026.03 with src/ as the source folder', () => {
    expect(json('hsproject.json')).toMatchObject({ platformVersion: '2026.03', srcDir: 'src' });
  });

  it('is an OAuth app requesting exactly the scopes the backend asks for at install (least privilege)', () => {
    expect(app).toMatchObject({ type: 'app', config: { auth: { type: 'oauth' } } });
    expect([...app.config.auth.requiredScopes].sort()).toEqual([...backendScopes()].sort());
    expect(app.config.auth.requiredScopes).not.toContain('crm.objects.line_items.write'); // nothing writes line items
  });

  it('takes every address from the config profile, never a literal', () => {
    expect(app.config.auth.redirectUrls).toEqual(['${HUBSPOT_REDIRECT_URL}']);
    expect(app.config.permittedUrls.fetch).toEqual(['${API_URL}']);
    expect(app.config.permittedUrls.iframe).toEqual(['${API_URL}']);
    expect(app.config.support).toEqual({
      supportEmail: '${SUPPORT_EMAIL}', documentationUrl: '${DOCUMENTATION_URL}', supportUrl: '${SUPPORT_URL}',
    });
    const webhooks = metas.find((meta) => meta.type === 'webhooks');
    expect(webhooks.config.settings.targetUrl).toBe('${HUBSPOT_WEBHOOK_URL}');
  });

  it('declares webhook subscriptions for the two-way sync of contacts, companies and products', () => {
    const subscriptions = metas.find((meta) => meta.type === 'webhooks').config.subscriptions.crmObjects;
    expect(new Set(subscriptions.map((s) => s.objectType))).toEqual(new Set(['contact', 'company', 'product', 'deal']));
    const active = subscriptions.filter((s) => s.active);
    for (const objectType of ['contact', 'company', 'product']) {
      const kinds = new Set(active.filter((s) => s.objectType === objectType).map((s) => s.subscriptionType));
      expect(kinds).toEqual(new Set(['object.creation', 'object.propertyChange', 'object.deletion']));
    }
    for (const s of subscriptions.filter((sub) => sub.subscriptionType === 'object.propertyChange')) {
      expect(s.propertyName).toBeTruthy();
    }
  });

  it('declares a record tab card, a sidebar card and the settings page, with entry points that exist', () => {
    expect(cards.map((card) => card.config.location).sort()).toEqual(['crm.record.sidebar', 'crm.record.tab']);
    for (const card of cards) expect(card.config.objectTypes.sort()).toEqual(['companies', 'contacts', 'deals']);
    const settings = metas.find((meta) => meta.type === 'settings');
    for (const meta of [...cards, settings]) {
      expect(existsSync(join(root, 'src', meta.config.entrypoint)), meta.config.entrypoint).toBe(true);
    }
    const uids = metas.map((meta) => meta.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });
});

describe('shared code as an npm workspace package', () => {
  const shared = json('src/app/packages/shared/package.json');

  it('is a workspace of the app root HubSpot installs and of the test root', () => {
    expect(json('src/app/package.json').workspaces).toEqual(['cards', 'settings', 'packages/*']);
    expect(json('package.json').workspaces).toEqual(['src/app/cards', 'src/app/settings', 'src/app/packages/*']);
  });

  it('is a dependency of both extensions, pinned with the same UI packages as the tests use', () => {
    const own = json('package.json').devDependencies;
    for (const dir of ['cards', 'settings']) {
      const deps = json(`src/app/${dir}/package.json`).dependencies;
      expect(deps[shared.name]).toBe(shared.version);
      expect(deps['@hubspot/ui-extensions']).toBe(own['@hubspot/ui-extensions']);
      expect(deps.react).toBe(own.react);
      expect(shared.peerDependencies).toEqual({ '@hubspot/ui-extensions': deps['@hubspot/ui-extensions'],
        react: deps.react });
    }
  });

  it('is locked for HubSpot\'s install to exactly the versions the tests and the offline build use', () => {
    const hubspotLock = json('src/app/package-lock.json').packages;
    const testLock = json('package-lock.json').packages;
    const installed = Object.entries(hubspotLock).filter(([path, meta]) => path.startsWith('node_modules/') && !meta.link);
    expect(installed.length).toBeGreaterThan(5);
    for (const [path, meta] of installed) {
      expect(testLock[path]?.version, path).toBe(meta.version);
    }
  });

  it('ships its generated settings module with the package (npm-packlist honours "files")', () => {
    expect(shared.files).toContain('settings.generated.js');
    for (const file of shared.files.filter((name) => name !== 'settings.generated.js')) {
      expect(existsSync(join(root, 'src/app/packages/shared', file)), file).toBe(true);
    }
  });

  it('leaves no relative import that climbs out of its extension or package folder', () => {
    const app = join(root, 'src', 'app');
    for (const file of filesUnder(app, /\.(jsx?|tsx?)$/)) {
      const home = relative(app, file).split(sep).slice(0, relative(app, file).startsWith('packages') ? 2 : 1);
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) => m[1]);
      for (const specifier of imports) {
        const target = relative(join(app, ...home), resolve(dirname(file), specifier));
        expect(target.startsWith('..'), `${relative(root, file)} imports ${specifier}`).toBe(false);
      }
    }
  });

  it('is imported only through its package name, with packages limited to the declared ones', () => {
    const allowed = ['react', '@hubspot/ui-extensions', shared.name];
    for (const file of filesUnder(join(root, 'src'), /\.(jsx?|tsx?)$/)) {
      const packages = [...readFileSync(file, 'utf8').matchAll(/from '([^'.][^']*)'/g)].map((m) => m[1]);
      const names = packages.map((name) => name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/'));
      expect(names.filter((name) => !allowed.includes(name)), file).toEqual([]);
    }
  });
});

describe('entry points', () => {
  it('load and register with hubspot.extend (a no-op outside HubSpot)', async () => {
    await expect(import('../src/app/cards/InvoicesCard.jsx')).resolves.toBeDefined();
    await expect(import('../src/app/settings/Settings.jsx')).resolves.toBeDefined();
  });
});
