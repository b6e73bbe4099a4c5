// Every call the UI makes must reach a route API Gateway actually has: template.yaml is the source of truth.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path) => readFileSync(join(root, path), 'utf8');

function templateRoutes() {
  const template = read('../template.yaml');
  return [...template.matchAll(/Method: (GET|POST|PUT|PATCH|DELETE), Path: (?:"([^"]+)"|([^\s}]+))/g)]
    .map(([, method, quoted, bare]) => `${method} ${(quoted ?? bare).replace(/\{[^}]+\}/g, '{}')}`);
}

function uiCalls() {
  const source = read('src/app/packages/shared/api.js');
  return [...source.matchAll(/request\('(GET|POST|PUT|PATCH|DELETE)', [`'"]([^`'"]+)[`'"]/g)]
    .map(([, method, path]) => `${method} ${path.replace(/\$\{[^}]+\}/g, '{}')}`);
}

describe('UI calls and backend routes', () => {
  it('finds the calls and the routes it compares', () => {
    expect(uiCalls().length).toBeGreaterThan(15);
    expect(templateRoutes().length).toBeGreaterThan(20);
  });

  it('calls only routes that template.yaml gives API Gateway', () => {
    const routes = new Set(templateRoutes());
    const missing = uiCalls().filter((call) => !routes.has(call));
    expect(missing).toEqual([]);
  });
});
