// A fake HubBooks API behind hubspot.fetch: routes keyed "METHOD /path", every call recorded.
import { hubspot } from '@hubspot/ui-extensions';
import { createApi } from '@hubbooks/ui-shared/api';

export function reply(status, body) {
  return { status, body };
}

export function problem(status, error, message, fields) {
  const body = { error, message };
  if (fields) body.details = { fields };
  return reply(status, body);
}

/** A promise you resolve later, to hold a route open (loading states, double clicks). */
export function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

export function installBackend(routes) {
  const calls = [];
  const fetch = async (url, options = {}) => {
    const parsed = new URL(String(url));
    const method = options.method ?? 'GET';
    const key = `${method} ${parsed.pathname}`;
    const call = { method, path: parsed.pathname, query: Object.fromEntries(parsed.searchParams), body: options.body,
      timeout: options.timeout, url: String(url) };
    calls.push(call);
    const route = routes[key];
    let result;
    if (route === undefined) {
      result = problem(404, 'not_found', `No fake route for ${key}`);
    } else {
      result = typeof route === 'function' ? await route(call, calls) : route;
    }
    if (!result || typeof result.status !== 'number') result = reply(200, result);
    if (result.status === 0) throw new TypeError('network down');
    const text = result.body === undefined ? '' : JSON.stringify(result.body);
    return new Response(text, { status: result.status, headers: { 'content-type': 'application/json' } });
  };
  globalThis.self.hsFetch = fetch;
  const api = createApi(hubspot.fetch);
  return {
    api,
    calls,
    routes,
    callsTo: (method, path) => calls.filter((c) => c.method === method && c.path === path),
  };
}

/** Flush pending promise callbacks (fake routes resolve on the microtask queue). */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** All text under a rendered node (element children only; overlay fragments are not included). */
export function textOf(node) {
  if (!node) return '';
  if (node.nodeType === 'text') return node.text;
  return (node.childNodes ?? []).map(textOf).join('');
}
