// The record tab card's newer states: summary line, paging by due date, refreshed properties after changes,
// success notices that go away, and who is told what when nothing is connected.
import { describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, Checkbox, Link, Panel, PanelFooter, StatusTag, Table } from '@hubspot/ui-extensions';
import { InvoicesCardView } from '../src/app/cards/components/InvoicesCardView.jsx';
import { installBackend, textOf } from './helpers.js';
import { cardData, invoice, summary, US } from './fixtures.js';

function renderCard(routes, { permissions = [], noticeMs = 40 } = {}) {
  const backend = installBackend(routes);
  const renderer = createRenderer('crm.record.tab');
  renderer.mocks.context.crm.objectTypeId = '0-3';
  renderer.mocks.context.crm.objectId = 123;
  renderer.mocks.context.portal.id = 4455;
  renderer.mocks.context.user.permissions = permissions;
  renderer.render(<InvoicesCardView context={renderer.mocks.context} actions={renderer.mocks.actions}
    api={backend.api} noticeMs={noticeMs} />);
  return { ...renderer, backend };
}

const numbersOnPage = (card) => card.findAll(Link).filter((l) => l.props.testId?.startsWith('qbo-link-'))
  .map((l) => l.text);

describe('invoices card: summary and table', () => {
  it('sums the record up in the account currency above the table', async () => {
    const card = renderCard({ 'GET /app/cards/deal/123': cardData({
      invoices: [invoice()],
      summary: summary({ invoiced: '1450', paid: '300', outstanding: '1150', overdue: '80', invoice_count: 3,
        overdue_count: 1, other_currency_count: 1 }),
    }) });
    await card.waitFor(() => card.findByTestId(Table, 'invoice-table'));
    const line = textOf(card.getRootNode());
    expect(line).toContain('Invoiced $1,450.00 · Paid $300.00 · Outstanding $1,150.00 · Overdue $80.00 (1 invoice)');
    expect(line).toContain('1 invoice in other currencies not included.');
  });

  it('says nothing is overdue when nothing is', async () => {
    const card = renderCard({ 'GET /app/cards/deal/123': cardData({ invoices: [invoice()],
      summary: summary({ invoiced: '1200', outstanding: '1200', invoice_count: 1 }) }) });
    await card.waitFor(() => card.findByTestId(Table, 'invoice-table'));
    expect(textOf(card.getRootNode())).toContain('Outstanding $1,200.00 · Nothing overdue');
  });

  it('sorts by due date and pages ten at a time, without a currency column', async () => {
    const invoices = Array.from({ length: 12 }, (_, i) => invoice({
      invoice_id: String(200 + i), number: String(2000 + i),
      due_date: i === 11 ? null : `2026-10-${String(28 - i * 2).padStart(2, '0')}`,
    }));
    const card = renderCard({ 'GET /app/cards/deal/123': cardData({ invoices }) });
    await card.waitFor(() => card.findByTestId(Table, 'invoice-table'));
    const table = card.findByTestId(Table, 'invoice-table');
    expect(table.props).toMatchObject({ paginated: true, pageCount: 2, page: 1 });
    expect(numbersOnPage(card)).toEqual(['2010', '2009', '2008', '2007', '2006', '2005', '2004', '2003', '2002', '2001']);
    expect(textOf(table)).not.toContain('Currency');
    table.trigger('onPageChange', 2);
    await card.waitFor(() => expect(card.findByTestId(Table, 'invoice-table').props.page).toBe(2));
    expect(numbersOnPage(card)).toEqual(['2000', '2011']); // no due date last
  });

  it('has no pager when everything fits on one page', async () => {
    const card = renderCard({ 'GET /app/cards/deal/123': cardData({ invoices: [invoice()] }) });
    await card.waitFor(() => card.findByTestId(Table, 'invoice-table'));
    expect(card.findByTestId(Table, 'invoice-table').props.paginated).toBeUndefined();
  });
});

describe('invoices card: after a change', () => {
  it('refreshes the record properties after unlinking, and the success notice goes away by itself', async () => {
    let linked = [invoice()];
    const card = renderCard({
      'GET /app/cards/deal/123': () => cardData({ invoices: linked }),
      [`DELETE /app/invoice-links/deal/123/${US.realm_id}/101`]: () => { linked = []; return { unlinked: true }; },
    });
    await card.waitFor(() => card.findByTestId(Button, `confirm-unlink-${US.realm_id}-101`));
    card.findByTestId(Button, `confirm-unlink-${US.realm_id}-101`).trigger('onClick');
    await card.waitFor(() => card.findByTestId(Alert, 'card-notice'));
    expect(card.findByTestId(Alert, 'card-notice').props.variant).toBe('success');
    await vi.waitFor(() => expect(card.mocks.actions.refreshObjectProperties.calls).toHaveLength(1));
    await card.waitFor(() => expect(card.maybeFindByTestId(Alert, 'card-notice')).toBeNull());
  });

  it('keeps a problem on screen until the next action', async () => {
    const card = renderCard({
      'GET /app/cards/deal/123': cardData({ invoices: [invoice()] }),
      [`DELETE /app/invoice-links/deal/123/${US.realm_id}/101`]: { status: 503, body: { error: 'x', message: 'Busy.' } },
    });
    await card.waitFor(() => card.findByTestId(Button, `confirm-unlink-${US.realm_id}-101`));
    card.findByTestId(Button, `confirm-unlink-${US.realm_id}-101`).trigger('onClick');
    await card.waitFor(() => card.findByTestId(Alert, 'card-notice'));
    await new Promise((resolve) => { setTimeout(resolve, 120); });
    expect(card.findByTestId(Alert, 'card-notice').props.variant).toBe('danger');
    expect(card.mocks.actions.refreshObjectProperties.calls).toHaveLength(0);
  });

  it('after linking existing invoices, closing the panel refreshes properties, reloads once and says so', async () => {
    let linked = [];
    const found = invoice({ invoice_id: '88', number: 'E-88' });
    const card = renderCard({
      'GET /app/cards/deal/123': () => cardData({ invoices: linked }),
      [`GET /app/qbo/${US.realm_id}/invoices`]: { invoices: [found] },
      'POST /app/invoice-links': () => { linked = [found]; return { linked: [found], already_linked: [], not_found: [] }; },
    }, { noticeMs: 0 });
    await card.waitFor(() => card.findByTestId(Button, 'add-existing-invoice'));
    card.find(Panel, { id: 'hubbooks-add-existing-invoice' }).trigger('onOpen');
    await card.waitFor(() => card.findByTestId(Button, 'link-search'));
    expect(card.find(Panel, { id: 'hubbooks-add-existing-invoice' }).findAll(PanelFooter)).toHaveLength(1);
    card.findByTestId(Button, 'link-search').trigger('onClick');
    await card.waitFor(() => card.findByTestId(Checkbox, 'pick-88'));
    card.findByTestId(Checkbox, 'pick-88').trigger('onChange', true);
    await card.waitFor(() => expect(card.findByTestId(Button, 'link-submit').props.disabled).toBe(false));
    card.findByTestId(Button, 'link-submit').trigger('onClick');
    await card.waitFor(() => card.findByTestId(Alert, 'link-outcome'));
    expect(card.mocks.actions.refreshObjectProperties.calls).toHaveLength(0); // not while the panel is open

    card.find(Panel, { id: 'hubbooks-add-existing-invoice' }).trigger('onClose');
    await card.waitFor(() => expect(card.findAll(StatusTag)).toHaveLength(1));
    expect(card.mocks.actions.refreshObjectProperties.calls).toHaveLength(1);
    expect(card.backend.callsTo('GET', '/app/cards/deal/123')).toHaveLength(2);
    expect(textOf(card.findByTestId(Alert, 'card-notice'))).toContain('1 invoice added to this deal.');
  });

  it('closing a panel where nothing changed neither reloads nor refreshes', async () => {
    const card = renderCard({ 'GET /app/cards/deal/123': cardData() });
    await card.waitFor(() => card.findByTestId(Button, 'add-existing-invoice'));
    card.find(Panel, { id: 'hubbooks-add-existing-invoice' }).trigger('onOpen');
    card.find(Panel, { id: 'hubbooks-add-existing-invoice' }).trigger('onClose');
    await new Promise((resolve) => { setTimeout(resolve, 20); });
    expect(card.mocks.actions.refreshObjectProperties.calls).toHaveLength(0);
    expect(card.backend.callsTo('GET', '/app/cards/deal/123')).toHaveLength(1);
  });
});

describe('invoices card: where it does not apply', () => {
  it('says so on other record types and calls nothing', async () => {
    const backend = installBackend({});
    const renderer = createRenderer('crm.record.tab');
    renderer.mocks.context.crm.objectTypeId = '0-5'; // tickets
    renderer.render(<InvoicesCardView context={renderer.mocks.context} actions={renderer.mocks.actions}
      api={backend.api} />);
    await renderer.waitFor(() => renderer.find(Alert, { title: 'Not available here' }));
    expect(backend.calls).toHaveLength(0);
  });
});

describe('invoices card: nothing connected', () => {
  const notConnected = cardData({ companies: [],
    next_actions: [{ action: 'connect_quickbooks', label: 'Connect a QuickBooks company', enabled: true }] });

  it('gives people who manage apps a button to HubBooks settings', async () => {
    const card = renderCard({ 'GET /app/cards/deal/123': notConnected },
      { permissions: ['integrations-management-write'] });
    await card.waitFor(() => card.findByTestId(Button, 'open-settings'));
    expect(card.findByTestId(Button, 'open-settings').props.href).toEqual({
      url: 'https://app.hubspot.com/connected-apps/4455/installed', external: true });
    expect(card.maybeFindByTestId(Button, 'create-invoice')).toBeNull();
  });

  it('tells everyone else whom to ask, with no button they cannot use', async () => {
    const card = renderCard({ 'GET /app/cards/deal/123': notConnected });
    await card.waitFor(() => card.findByTestId(Button, 'card-refresh'));
    expect(card.maybeFindByTestId(Button, 'open-settings')).toBeNull();
    const text = textOf(card.getRootNode());
    expect(text).toContain('Ask a HubSpot super admin, or someone allowed to manage apps in this account');
    expect(text).toContain('support@hubbooks.test.invalid');
  });
});
