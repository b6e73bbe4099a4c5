// The sidebar card: summary and the two main actions, for people who never open record tabs.
import { describe, expect, it } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Button, DescriptionListItem, ErrorState, Link, LoadingSpinner, Panel, Text } from '@hubspot/ui-extensions';
import { InvoicesSidebar } from '../src/app/cards/components/InvoicesSidebar.jsx';
import { deferred, installBackend, problem, textOf } from './helpers.js';
import { cardData, invoice, summary } from './fixtures.js';

function renderSidebar(routes, { objectTypeId = '0-3', objectId = 123, permissions = [] } = {}) {
  const backend = installBackend(routes);
  const renderer = createRenderer('crm.record.sidebar');
  renderer.mocks.context.crm.objectTypeId = objectTypeId;
  renderer.mocks.context.crm.objectId = objectId;
  renderer.mocks.context.user.permissions = permissions;
  renderer.render(<InvoicesSidebar context={renderer.mocks.context} actions={renderer.mocks.actions}
    api={backend.api} />);
  return { ...renderer, backend };
}

describe('sidebar card', () => {
  it('loads, then shows the summary, the next invoice due and both actions', async () => {
    const hold = deferred();
    const invoices = [
      invoice({ invoice_id: '1', number: 'A-1', due_date: '2026-10-20', status: 'paid', balance: '0' }),
      invoice({ invoice_id: '2', number: 'A-2', due_date: '2026-11-01', balance: '250.00' }),
      invoice({ invoice_id: '3', number: 'A-3', due_date: '2026-12-01' }),
    ];
    const card = renderSidebar({ 'GET /app/cards/deal/123': () => hold.promise.then(() => cardData({ invoices,
      summary: summary({ invoiced: '3600', paid: '1200', outstanding: '2400', overdue: '0', invoice_count: 3 }) })) });
    expect(card.findByTestId(LoadingSpinner, 'sidebar-loading')).toBeTruthy();
    hold.resolve();
    await card.waitFor(() => card.findByTestId(Link, 'sidebar-next-due'));
    const figures = Object.fromEntries(card.findAll(DescriptionListItem).map((item) => [item.props.label, item.text]));
    expect(figures).toEqual({ Invoiced: '$3,600.00', Paid: '$1,200.00', Outstanding: '$2,400.00', Overdue: '$0.00' });
    expect(textOf(card.findByTestId(Text, 'sidebar-count'))).toContain('3 invoices linked. Next due: A-2 on 2026-11-01 ($250.00)');
    expect(card.findByTestId(Link, 'sidebar-next-due').props.href).toEqual({ url: invoices[1].qbo_url, external: true });
    expect(card.findByTestId(Button, 'create-invoice').props.size).toBe('sm');
    expect(card.findByTestId(Button, 'add-existing-invoice')).toBeTruthy();
    expect(card.find(Panel, { id: 'hubbooks-create-invoice' })).toBeTruthy();
  });

  it('says when nothing is linked yet and still offers the actions', async () => {
    const card = renderSidebar({ 'GET /app/cards/contact/9': cardData({ object_type: 'contact', object_id: '9',
      next_actions: [{ action: 'link_existing_invoice', label: 'Add existing invoice', enabled: true }] }) },
    { objectTypeId: '0-1', objectId: 9 });
    await card.waitFor(() => card.findByTestId(Text, 'sidebar-empty'));
    expect(textOf(card.findByTestId(Text, 'sidebar-empty'))).toBe('No QuickBooks invoices are linked to this contact yet.');
    expect(card.maybeFindByTestId(Button, 'create-invoice')).toBeNull();
    expect(card.findByTestId(Button, 'add-existing-invoice')).toBeTruthy();
  });

  it('shows the error in plain words and retries', async () => {
    let attempts = 0;
    const card = renderSidebar({ 'GET /app/cards/deal/123': () => (++attempts === 1
      ? problem(503, 'upstream_rate_limited', 'QuickBooks is busy right now; try again in a minute.')
      : cardData()) });
    await card.waitFor(() => card.findByTestId(ErrorState, 'sidebar-error'));
    expect(textOf(card.findByTestId(ErrorState, 'sidebar-error'))).toContain('QuickBooks is busy right now');
    card.findByTestId(Button, 'sidebar-retry').trigger('onClick');
    await card.waitFor(() => card.findByTestId(Text, 'sidebar-empty'));
  });

  it('distinguishes admins from other users when nothing is connected', async () => {
    const notConnected = { 'GET /app/cards/deal/123': cardData({ companies: [], next_actions: [] }) };
    const admin = renderSidebar(notConnected, { permissions: ['integrations-management-write'] });
    await admin.waitFor(() => admin.findByTestId(Button, 'open-settings'));
    const user = renderSidebar(notConnected);
    await user.waitFor(() => user.findByTestId(Text, 'not-connected-user'));
    expect(user.maybeFindByTestId(Button, 'open-settings')).toBeNull();
  });
});
