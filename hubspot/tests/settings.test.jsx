import { describe, expect, it } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, EmptyState, ErrorState, Input, StatusTag, Text, Toggle } from '@hubspot/ui-extensions';
import { SettingsPage } from '../src/app/settings/SettingsPage.jsx';
import { installBackend, problem, textOf } from './helpers.js';
import { connection, UK, US } from './fixtures.js';

function renderSettings(routes) {
  const backend = installBackend(routes);
  const renderer = createRenderer('settings');
  renderer.render(<SettingsPage context={renderer.mocks.context} actions={renderer.mocks.actions} api={backend.api} />);
  return { ...renderer, backend, click: (id) => renderer.findByTestId(Button, id).trigger('onClick') };
}

const connections = (list) => ({ portal_id: 123, connections: list });

describe('settings page', () => {
  it('lists the connected companies with their status', async () => {
    const s = renderSettings({ 'GET /oauth/qbo/connections': connections([
      connection(),
      connection({ realm_id: UK.realm_id, company_name: UK.company_name, country: 'GB', home_currency: 'GBP',
        status: 'needs_reconnect' }),
      connection({ realm_id: '9130003', company_name: 'Old Co', status: 'disconnected', disconnected_at: '2026-07-01T00:00:00Z' }),
    ]) });
    await s.waitFor(() => s.findByTestId(StatusTag, `connection-status-${US.realm_id}`));
    expect(s.findByTestId(StatusTag, `connection-status-${US.realm_id}`).props.variant).toBe('success');
    expect(s.findByTestId(StatusTag, `connection-status-${UK.realm_id}`).text).toBe('Needs reconnecting');
    expect(s.findByTestId(StatusTag, 'connection-status-9130003').text).toBe('Disconnected');
    expect(textOf(s.findByTestId(Alert, `reconnect-${UK.realm_id}`))).toContain('choose Acme UK Ltd again');
    expect(s.maybeFindByTestId(Button, 'disconnect-9130003')).toBeNull();
    expect(textOf(s.findByTestId(Button, 'connect-company'))).toBe('Connect another company');
  });

  it('gets a one-time connect link and opens it in a new tab', async () => {
    let listed = 0;
    const s = renderSettings({
      'GET /oauth/qbo/connections': () => { listed += 1; return connections([]); },
      'POST /oauth/qbo/connect-link': { url: 'https://api.example/oauth/qbo/connect?link=one-time', expires_at: '2026-09-15T10:10:00Z' },
    });
    await s.waitFor(() => s.findByTestId(EmptyState, 'settings-empty'));
    expect(textOf(s.findByTestId(Button, 'connect-company'))).toBe('Connect a QuickBooks company');
    s.click('connect-company');
    await s.waitFor(() => s.findByTestId(Button, 'open-connect-link'));
    expect(s.findByTestId(Button, 'open-connect-link').props.href)
      .toEqual({ url: 'https://api.example/oauth/qbo/connect?link=one-time', external: true });
    expect(s.backend.callsTo('POST', '/oauth/qbo/connect-link')).toHaveLength(1);
    expect(textOf(s.getRootNode())).toContain('works once and expires at 10:10 UTC');
    s.click('connect-done');
    await s.waitFor(() => s.findByTestId(Button, 'connect-company'));
    expect(listed).toBe(2);
  });

  it('shows why a connect link could not be made', async () => {
    const s = renderSettings({
      'GET /oauth/qbo/connections': connections([]),
      'POST /oauth/qbo/connect-link': problem(503, 'not_configured', 'QuickBooks is not set up for this HubBooks installation yet.'),
    });
    await s.waitFor(() => s.findByTestId(Button, 'connect-company'));
    s.click('connect-company');
    await s.waitFor(() => s.findByTestId(Alert, 'connect-error'));
    expect(textOf(s.findByTestId(Alert, 'connect-error'))).toBe('QuickBooks is not set up for this HubBooks installation yet.');
  });

  it('disconnects a company after confirmation', async () => {
    let current = [connection()];
    const s = renderSettings({
      'GET /oauth/qbo/connections': () => connections(current),
      [`DELETE /oauth/qbo/connections/${US.realm_id}`]: () => {
        current = [connection({ status: 'disconnected', disconnected_at: '2026-09-15T10:00:00Z' })];
        return current[0];
      },
    });
    await s.waitFor(() => s.findByTestId(Button, `confirm-disconnect-${US.realm_id}`));
    expect(s.backend.callsTo('DELETE', `/oauth/qbo/connections/${US.realm_id}`)).toHaveLength(0); // only after confirming
    s.click(`confirm-disconnect-${US.realm_id}`);
    await s.waitFor(() => expect(s.findByTestId(StatusTag, `connection-status-${US.realm_id}`).text).toBe('Disconnected'));
    expect(s.mocks.actions.closeOverlay.calls).toEqual([[`hubbooks-disconnect-${US.realm_id}`]]);
    expect(textOf(s.findByTestId(Alert, 'settings-notice'))).toContain('Acme US is disconnected');
  });

  it('reports a failed disconnect in plain words', async () => {
    const s = renderSettings({
      'GET /oauth/qbo/connections': connections([connection()]),
      [`DELETE /oauth/qbo/connections/${US.realm_id}`]: problem(502, 'upstream_error', 'QuickBooks could not be reached; nothing changed. Try again.'),
    });
    await s.waitFor(() => s.findByTestId(Button, `confirm-disconnect-${US.realm_id}`));
    s.click(`confirm-disconnect-${US.realm_id}`);
    await s.waitFor(() => s.findByTestId(Alert, 'settings-notice'));
    expect(s.findByTestId(Alert, 'settings-notice').props.variant).toBe('danger');
    expect(textOf(s.findByTestId(Alert, 'settings-notice'))).toContain('nothing changed. Try again.');
  });

  it('uninstalls only after confirming, keeping QuickBooks connected when the admin chooses so', async () => {
    const s = renderSettings({
      'GET /oauth/qbo/connections': connections([connection()]),
      'DELETE /oauth/hubspot/install': (call) => ({ portal_id: 123, uninstalled: true,
        qbo_companies: call.query.qboCompanies, disconnected: [], kept: ['Acme US'], not_disconnected: [],
        message: 'HubBooks is uninstalled. Kept connected for a reinstall: Acme US.' }),
    });
    await s.waitFor(() => s.findByTestId(Button, 'confirm-uninstall-keep'));
    expect(s.backend.callsTo('DELETE', '/oauth/hubspot/install')).toHaveLength(0); // only after confirming
    s.click('confirm-uninstall-keep');
    await s.waitFor(() => s.findByTestId(Alert, 'uninstall-result'));
    expect(s.backend.callsTo('DELETE', '/oauth/hubspot/install')[0].query.qboCompanies).toBe('keep');
    expect(s.mocks.actions.closeOverlay.calls).toEqual([['hubbooks-uninstall-keep']]);
    const result = s.findByTestId(Alert, 'uninstall-result');
    expect(result.props.variant).toBe('success');
    expect(textOf(result)).toContain('Kept connected for a reinstall: Acme US.');
    expect(textOf(result)).toContain('remove HubBooks under Connected apps');
  });

  it('tells a user who is not a HubBooks admin why uninstalling was refused', async () => {
    const s = renderSettings({
      'GET /oauth/qbo/connections': connections([connection()]),
      'DELETE /oauth/hubspot/install': problem(403, 'admin_only',
        'Only a HubBooks admin of this HubSpot account can uninstall HubBooks; ask the person who installed it.'),
    });
    await s.waitFor(() => s.findByTestId(Button, 'confirm-uninstall-disconnect'));
    s.click('confirm-uninstall-disconnect');
    await s.waitFor(() => s.findByTestId(Alert, 'uninstall-result'));
    expect(s.backend.callsTo('DELETE', '/oauth/hubspot/install')[0].query.qboCompanies).toBe('disconnect');
    expect(s.findByTestId(Alert, 'uninstall-result').props.variant).toBe('danger');
    expect(textOf(s.findByTestId(Alert, 'uninstall-result'))).toContain('ask the person who installed it');
  });

  it('lets companies with custom transaction numbers opt in to HubBooks numbering', async () => {
    const view = (assign, prefix = 'HB-') => ({ realm_id: UK.realm_id, custom_txn_numbers: true, assign_doc_numbers: assign,
      doc_number_prefix: prefix, can_create_invoices: assign,
      blocked_reason: assign ? null : 'Acme UK Ltd expects invoice numbers; opt in below or turn custom numbers off in QuickBooks.' });
    const s = renderSettings({
      'GET /oauth/qbo/connections': connections([
        connection(),
        connection({ realm_id: UK.realm_id, company_name: UK.company_name, custom_txn_numbers: true }),
      ]),
      [`GET /app/qbo/${UK.realm_id}/invoicing-settings`]: view(false),
      [`PUT /app/qbo/${UK.realm_id}/invoicing-settings`]: (call) => view(call.body.assign_doc_numbers, call.body.doc_number_prefix),
    });
    await s.waitFor(() => s.findByTestId(Toggle, `assign-${UK.realm_id}`));
    expect(s.maybeFindByTestId(Toggle, `assign-${US.realm_id}`)).toBeNull(); // US company has no custom numbers
    expect(s.backend.calls.some((c) => c.path === `/app/qbo/${US.realm_id}/invoicing-settings`)).toBe(false);
    expect(textOf(s.findByTestId(Alert, `blocked-${UK.realm_id}`))).toContain('expects invoice numbers');

    s.findByTestId(Toggle, `assign-${UK.realm_id}`).trigger('onChange', true);
    await s.waitFor(() => expect(s.findByTestId(Input, `prefix-${UK.realm_id}`).props.readOnly).toBe(false));
    s.findByTestId(Input, `prefix-${UK.realm_id}`).trigger('onChange', 'UK-');
    s.click(`save-numbering-${UK.realm_id}`);
    await s.waitFor(() => s.findByTestId(Text, `saved-${UK.realm_id}`));
    expect(s.backend.callsTo('PUT', `/app/qbo/${UK.realm_id}/invoicing-settings`)[0].body)
      .toEqual({ assign_doc_numbers: true, doc_number_prefix: 'UK-' });
    expect(s.maybeFindByTestId(Alert, `blocked-${UK.realm_id}`)).toBeNull();
  });

  it('shows a rejected prefix next to the field', async () => {
    const s = renderSettings({
      'GET /oauth/qbo/connections': connections([connection({ custom_txn_numbers: true })]),
      [`GET /app/qbo/${US.realm_id}/invoicing-settings`]: { realm_id: US.realm_id, custom_txn_numbers: true,
        assign_doc_numbers: true, doc_number_prefix: 'HB-', can_create_invoices: true, blocked_reason: null },
      [`PUT /app/qbo/${US.realm_id}/invoicing-settings`]: problem(422, 'invalid_invoice',
        'Please fix the settings: The prefix may only use letters, digits and dashes.',
        [{ field: 'doc_number_prefix', message: 'The prefix may only use letters, digits and dashes.' }]),
    });
    await s.waitFor(() => s.findByTestId(Input, `prefix-${US.realm_id}`));
    s.findByTestId(Input, `prefix-${US.realm_id}`).trigger('onChange', 'HB/');
    s.click(`save-numbering-${US.realm_id}`);
    await s.waitFor(() => expect(s.findByTestId(Input, `prefix-${US.realm_id}`).props.error).toBe(true));
    expect(s.findByTestId(Input, `prefix-${US.realm_id}`).props.validationMessage)
      .toBe('The prefix may only use letters, digits and dashes.');
  });

  it('shows an error state when the connections cannot be listed', async () => {
    const s = renderSettings({ 'GET /oauth/qbo/connections': problem(401, 'unauthorized', 'The request signature is not valid.') });
    await s.waitFor(() => s.findByTestId(ErrorState, 'settings-error'));
    expect(textOf(s.findByTestId(ErrorState, 'settings-error'))).toContain('The request signature is not valid.');
  });
});
