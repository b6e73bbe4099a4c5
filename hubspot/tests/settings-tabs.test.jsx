// The settings page's tabs: Connections, Invoicing, Contacts, Products, Sync health, each in its own state.
import { describe, expect, it } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, EmptyState, Flex, LoadingSpinner, Tab, Tabs, Text } from '@hubspot/ui-extensions';
import { SettingsPage } from '../src/app/settings/SettingsPage.jsx';
import { deferred, installBackend, textOf } from './helpers.js';
import { connection, UK, US } from './fixtures.js';

function renderSettings(routes, noticeMs = 40) {
  const backend = installBackend(routes);
  const renderer = createRenderer('settings');
  renderer.render(<SettingsPage context={renderer.mocks.context} actions={renderer.mocks.actions} api={backend.api}
    noticeMs={noticeMs} />);
  return { ...renderer, backend };
}

const list = (items) => ({ 'GET /oauth/qbo/connections': { portal_id: 123, connections: items } });
const tabOf = (s, id) => s.findByTestId(Tab, `tab-${id}`);

describe('settings tabs', () => {
  it('shows a spinner until the connections are listed, then the tabs', async () => {
    const hold = deferred();
    const s = renderSettings({ 'GET /oauth/qbo/connections': () => hold.promise.then(() => ({ portal_id: 123,
      connections: [] })) });
    expect(s.findByTestId(LoadingSpinner, 'settings-loading')).toBeTruthy();
    expect(s.maybeFindByTestId(Tabs, 'settings-tabs')).toBeNull();
    hold.resolve();
    await s.waitFor(() => s.findByTestId(Tabs, 'settings-tabs'));
    expect(tabOf(s, 'connections').find(EmptyState, { testId: 'settings-empty' })).toBeTruthy();
  });

  it('shows the five tabs in order, Connections first, and switches between them', async () => {
    const s = renderSettings(list([connection()]));
    await s.waitFor(() => s.findByTestId(Tabs, 'settings-tabs'));
    expect(s.findAll(Tab).map((tab) => tab.props.title)).toEqual(
      ['Connections', 'Invoicing', 'Contacts', 'Products', 'Sync health']);
    expect(s.findByTestId(Tabs, 'settings-tabs').props.selected).toBe('connections');
    expect(tabOf(s, 'connections').find(Flex, { testId: 'connections-tab' })).toBeTruthy();
    s.findByTestId(Tabs, 'settings-tabs').trigger('onSelectedChange', 'invoicing');
    await s.waitFor(() => expect(s.findByTestId(Tabs, 'settings-tabs').props.selected).toBe('invoicing'));
  });

  it('Invoicing: says which companies QuickBooks numbers and offers the opt-in for the others', async () => {
    const s = renderSettings({
      ...list([connection(), connection({ realm_id: UK.realm_id, company_name: UK.company_name,
        custom_txn_numbers: true })]),
      [`GET /app/qbo/${UK.realm_id}/invoicing-settings`]: { realm_id: UK.realm_id, assign_doc_numbers: false,
        doc_number_prefix: 'HB-', can_create_invoices: false, blocked_reason: 'Choose how invoices are numbered.' },
    });
    await s.waitFor(() => s.findByTestId(Flex, 'invoicing-tab'));
    const tab = tabOf(s, 'invoicing');
    expect(textOf(tab.find(Text, { testId: `numbering-auto-${US.realm_id}` })))
      .toContain('Acme US: QuickBooks numbers the invoices HubBooks creates');
    expect(tab.find(Flex, { testId: `numbering-${UK.realm_id}` })).toBeTruthy();
    expect(textOf(tab.find(Text, { testId: 'invoicing-defaults' }))).toContain("QuickBooks preferences");
  });

  it('Invoicing: asks to connect a company first when none is connected', async () => {
    const s = renderSettings(list([connection({ status: 'disconnected' })]));
    await s.waitFor(() => s.findByTestId(EmptyState, 'invoicing-empty'));
    expect(textOf(s.findByTestId(EmptyState, 'invoicing-empty'))).toContain('Connect one on the Connections tab');
  });

  it('Connections: the notice after disconnecting goes away by itself', async () => {
    let items = [connection()];
    const s = renderSettings({
      'GET /oauth/qbo/connections': () => ({ portal_id: 123, connections: items }),
      [`DELETE /oauth/qbo/connections/${US.realm_id}`]: () => {
        items = [connection({ status: 'disconnected' })];
        return { realm_id: US.realm_id, status: 'disconnected' };
      },
    });
    await s.waitFor(() => s.findByTestId(Button, `confirm-disconnect-${US.realm_id}`));
    s.findByTestId(Button, `confirm-disconnect-${US.realm_id}`).trigger('onClick');
    await s.waitFor(() => s.findByTestId(Alert, 'settings-notice'));
    expect(s.findByTestId(Alert, 'settings-notice').props.variant).toBe('success');
    await s.waitFor(() => expect(s.maybeFindByTestId(Alert, 'settings-notice')).toBeNull());
    expect(s.mocks.actions.closeOverlay.calls).toEqual([[`hubbooks-disconnect-${US.realm_id}`]]);
  });
});
