import { describe, expect, it } from 'vitest';
import { ApiError, buildUrl, createApi, describeError, newSubmissionId } from '@hubbooks/ui-shared/api';
import { API_BASE_URL } from '@hubbooks/ui-shared/config';

function fakeFetch(status, body, seen) {
  return async (url, options) => {
    seen.push({ url, options });
    if (status === 0) throw new TypeError('offline');
    return new Response(body === undefined ? '' : JSON.stringify(body), { status });
  };
}

describe('API client', () => {
  it('builds URLs from the one base URL, encoding path segments and query values', async () => {
    const seen = [];
    const api = createApi(fakeFetch(200, { invoices: [] }, seen), { baseUrl: 'https://api.example/' });
    await api.searchInvoices('9130001', { number: 'A 1/2', from: '2026-01-01', to: undefined });
    expect(seen[0].url).toBe('https://api.example/app/qbo/9130001/invoices?number=A%201%2F2&from=2026-01-01');
    expect(seen[0].options).toEqual({ method: 'GET', timeout: 15000 });
    expect(buildUrl(API_BASE_URL, '/x', {})).toBe(`${API_BASE_URL}/x`);
  });

  it('sends JSON bodies as objects (hubspot.fetch serialises them)', async () => {
    const seen = [];
    const api = createApi(fakeFetch(200, {}, seen), { baseUrl: 'https://api.example' });
    await api.saveInvoicingSettings('1', { assignDocNumbers: true, docNumberPrefix: 'HB-' });
    expect(seen[0].options).toMatchObject({ method: 'PUT', body: { assign_doc_numbers: true, doc_number_prefix: 'HB-' } });
  });

  it('turns the backend error shape into ApiError with its message and fields', async () => {
    const api = createApi(fakeFetch(422, { error: 'invalid_request', message: 'Please fix the request: lines: too short',
      details: { fields: [{ field: 'lines', message: 'too short' }, { field: 'term_id', message: 'unknown term' }] } }, []));
    const error = await api.reviewInvoice('1', {}).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: 'invalid_request', message: 'Please fix the request: lines: too short' });
    expect(error.fields).toHaveLength(2);
    expect(describeError(error)).toBe('Please fix the request: lines: too short unknown term');
  });

  it('has plain-words messages when there is no body or no network', async () => {
    expect((await createApi(fakeFetch(429, undefined, [])).cardData('deal', '1').catch((e) => e)).message)
      .toMatch(/Too many requests/);
    expect((await createApi(fakeFetch(500, '<html>', [])).cardData('deal', '1').catch((e) => e)).message)
      .toMatch(/HubBooks had a problem/);
    const offline = await createApi(fakeFetch(0, undefined, [])).cardData('deal', '1').catch((e) => e);
    expect(offline).toMatchObject({ status: 0, code: 'network_error' });
  });

  it('makes submission ids the backend accepts, different each time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newSubmissionId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
});
