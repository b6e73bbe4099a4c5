// The project files HubSpot reads on `hs project upload`: shape, entry points, and scopes in step with the backend.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { API_BASE_URL } from '../src/app/cards/lib/config.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const json = (path) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const app = json('src/app/app-hsmeta.json');

function backendScopes() {
  const source = readFileSync(join(root, '..', 'layers/shared/hubbooks/domain/connect/hubspot_install.py'), 'utf8');
  const block = source.match(/INSTALL_SCOPES[^=]*=\s*\(([\s\S]*?)\n\)/);
  return [...block[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

describe('HubSpot project configuration', () => {
  it('targets platform 2025.2 with src/ as the source folder', () => {
    expect(json('hsproject.json')).toMatchObject({ platformVersion: '2025.2', srcDir: 'src' });
  });

  it('is an OAuth app requesting exactly the scopes the backend asks for at install', () => {
    expect(app).toMatchObject({ type: 'app', config: { auth: { type: 'oauth' } } });
    expect([...app.config.auth.requiredScopes].sort()).toEqual([...backendScopes()].sort());
    expect(app.config.auth.redirectUrls[0]).toMatch(/\/oauth\/hubspot\/callback$/);
  });

  it('permits hubspot.fetch to the same base URL the API client uses', () => {
    expect(app.config.permittedUrls.fetch).toContain(API_BASE_URL);
    expect(API_BASE_URL).not.toMatch(/\/$/);
  });

  it('declares the card and settings page with entry points that exist', () => {
    const card = json('src/app/cards/invoices-card-hsmeta.json');
    expect(card).toMatchObject({ type: 'card', config: { location: 'crm.record.tab' } });
    expect(card.config.objectTypes.sort()).toEqual(['companies', 'contacts', 'deals']);
    const settings = json('src/app/settings/settings-hsmeta.json');
    expect(settings.type).toBe('settings');
    for (const meta of [card, settings]) {
      expect(existsSync(join(root, 'src', meta.config.entrypoint))).toBe(true);
    }
    const uids = [app.uid, card.uid, settings.uid];
    expect(new Set(uids).size).toBe(3);
  });

  it('pins the same UI package versions for the HubSpot build as for the tests', () => {
    const own = json('package.json').devDependencies;
    for (const dir of ['cards', 'settings']) {
      const deps = json(`src/app/${dir}/package.json`).dependencies;
      expect(deps['@hubspot/ui-extensions']).toBe(own['@hubspot/ui-extensions']);
      expect(deps.react).toBe(own.react);
    }
  });

  it('uses only @hubspot/ui-extensions and react in the UI code, and no package from the shared lib', () => {
    const files = [];
    const walk = (dir) => readdirSync(dir, { withFileTypes: true }).forEach((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path);
      else if (/\.(jsx?|tsx?)$/.test(entry.name)) files.push(path);
    });
    walk(join(root, 'src'));
    for (const file of files) {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      const packages = imports.filter((name) => !name.startsWith('.'));
      const allowed = file.includes(`${join('cards', 'lib')}`) ? [] : ['react', '@hubspot/ui-extensions'];
      expect(packages.filter((name) => !allowed.includes(name)), file).toEqual([]);
    }
  });
});

describe('entry points', () => {
  it('load and register with hubspot.extend (a no-op outside HubSpot)', async () => {
    await expect(import('../src/app/cards/InvoicesCard.jsx')).resolves.toBeDefined();
    await expect(import('../src/app/settings/Settings.jsx')).resolves.toBeDefined();
  });
});
