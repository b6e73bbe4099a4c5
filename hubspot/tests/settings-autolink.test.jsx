// The Invoicing tab's "QuickBooks invoices on contacts and companies": the admin's switch, and the invoice backfill
// (dry run first, its counts and examples, then the run), with refusals in the backend's words.
import { describe, expect, it } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, DateInput, Text, Toggle } from '@hubspot/ui-extensions';
import { SettingsPage } from '../src/app/settings/SettingsPage.jsx';
import { installBackend, problem, textOf } from './helpers.js';
import { connection, US } from './fixtures.js';

const base = `/app/qbo/${US.realm_id}`;
const run = (overrides = {}) => ({
  percent: 100,
  run: { run_id: 'r1', portal_id: 123, realm_id: US.realm_id, date_from: '2026-01-01', date_to: '2026-03-31',
    dry_run: true, status: 'done', invoices_in_range: 12, processed: 12, pages_done: 1,
    counts: { invoices_to_link: 7, links_to_make: 8, customer_not_linked: 4, already_linked: 1 },
    examples: { invoices_to_link: [{ invoice_id: '130', doc_number: '1037', customer_name: 'Sonnenschein',
      records: ['contact 51', 'company 7'], detail: '' }] },
    started_at: '2026-04-01T09:00:00Z', updated_at: '2026-04-01T09:00:05Z', version: 2, ...overrides },
});

function renderSettings(routes) {
  const backend = installBackend({ 'GET /oauth/qbo/connections': { portal_id: 123, connections: [connection()] },
    [`GET ${base}/reminder-settings`]: problem(404, 'not_found', 'none'),
    'GET /app/finance-roles': problem(404, 'not_found', 'none'), ...routes });
  const renderer = createRenderer('settings');
  renderer.render(<SettingsPage context={renderer.mocks.context} actions={renderer.mocks.actions} api={backend.api} />);
  return { ...renderer, backend };
}

const pickRange = (s) => {
  s.findByTestId(DateInput, `autolink-from-${US.realm_id}`).trigger('onChange', { year: 2026, month: 0, date: 1 });
  s.findByTestId(DateInput, `autolink-to-${US.realm_id}`).trigger('onChange', { year: 2026, month: 2, date: 31 });
};

describe('QuickBooks invoices on contacts and companies', () => {
  it('is off until an admin turns it on', async () => {
    const s = renderSettings({
      [`GET ${base}/autolink-settings`]: { enabled: false },
      [`PUT ${base}/autolink-settings`]: (call) => call.body,
      [`GET ${base}/autolink-backfill`]: problem(404, 'not_found', 'No invoice backfill yet.'),
    });
    await s.waitFor(() => s.findByTestId(Toggle, `autolink-toggle-${US.realm_id}`));
    expect(s.findByTestId(Toggle, `autolink-toggle-${US.realm_id}`).props.checked).toBe(false);
    expect(s.maybeFindByTestId(Text, `autolink-off-${US.realm_id}`)).not.toBeNull();
    s.findByTestId(Toggle, `autolink-toggle-${US.realm_id}`).trigger('onChange', true);
    await s.waitFor(() => expect(s.findByTestId(Toggle, `autolink-toggle-${US.realm_id}`).props.checked).toBe(true));
    expect(s.backend.callsTo('PUT', `${base}/autolink-settings`)[0].body).toEqual({ enabled: true });
  });

  it('shows why a non-admin cannot switch it', async () => {
    const s = renderSettings({
      [`GET ${base}/autolink-settings`]: { enabled: false },
      [`PUT ${base}/autolink-settings`]: problem(403, 'not_allowed',
        'Only HubBooks admins can change automatic invoice linking; the user who installed the app is always one.'),
    });
    await s.waitFor(() => s.findByTestId(Toggle, `autolink-toggle-${US.realm_id}`));
    s.findByTestId(Toggle, `autolink-toggle-${US.realm_id}`).trigger('onChange', true);
    await s.waitFor(() => s.findByTestId(Alert, `autolink-error-${US.realm_id}`));
    expect(textOf(s.findByTestId(Alert, `autolink-error-${US.realm_id}`))).toContain('Only HubBooks admins');
    expect(s.findByTestId(Toggle, `autolink-toggle-${US.realm_id}`).props.checked).toBe(false);
  });

  it('runs a dry run for a date range first, then links what it found', async () => {
    const s = renderSettings({
      [`GET ${base}/autolink-settings`]: { enabled: true },
      [`POST ${base}/autolink-backfill`]: (call) => run({ dry_run: call.body.dry_run,
        ...(call.body.dry_run ? {} : { status: 'running' }) }),
    });
    await s.waitFor(() => s.findByTestId(Button, `autolink-dry-run-${US.realm_id}`));
    expect(s.findByTestId(Button, `autolink-dry-run-${US.realm_id}`).props.disabled).toBe(true);  // no dates yet
    expect(s.findByTestId(Button, `autolink-run-${US.realm_id}`).props.disabled).toBe(true);  // no dry run yet
    pickRange(s);
    await s.waitFor(() => expect(s.findByTestId(Button, `autolink-dry-run-${US.realm_id}`).props.disabled)
      .toBe(false));
    s.findByTestId(Button, `autolink-dry-run-${US.realm_id}`).trigger('onClick');
    await s.waitFor(() => s.findByTestId(Text, `invoice-backfill-invoices_to_link-${US.realm_id}`));
    expect(s.backend.callsTo('POST', `${base}/autolink-backfill`)[0].body)
      .toEqual({ date_from: '2026-01-01', date_to: '2026-03-31', dry_run: true });
    expect(textOf(s.findByTestId(Text, `invoice-backfill-invoices_to_link-${US.realm_id}`))).toBe('7 invoices to link');
    expect(textOf(s.findByTestId(Text, `invoice-backfill-customer_not_linked-${US.realm_id}`)))
      .toContain('4 invoices whose customer');
    await s.waitFor(() => expect(s.findByTestId(Button, `autolink-run-${US.realm_id}`).props.disabled).toBe(false));
    s.findByTestId(Button, `autolink-run-${US.realm_id}`).trigger('onClick');
    await s.waitFor(() => s.findByTestId(Button, `autolink-cancel-${US.realm_id}`));
    expect(s.backend.callsTo('POST', `${base}/autolink-backfill`)[1].body.dry_run).toBe(false);
  });
});
