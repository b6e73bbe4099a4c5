import { describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import {
  Alert, Button, Checkbox, EmptyState, ErrorState, Input, Link, LoadingSpinner, Panel, Select, StatusTag, Text,
} from '@hubspot/ui-extensions';
import { InvoicesCardView } from '../src/app/cards/components/InvoicesCardView.jsx';
import { deferred, installBackend, problem, reply, textOf } from './helpers.js';
import { cardData, invoice, UK, US } from './fixtures.js';

const DEAL = '0-3';
const CONTACT = '0-1';

function renderCard(routes, { objectTypeId = DEAL, objectId = 123 } = {}) {
  const backend = installBackend(routes);
  const renderer = createRenderer('crm.record.tab');
  renderer.mocks.context.crm.objectTypeId = objectTypeId;
  renderer.mocks.context.crm.objectId = objectId;
  renderer.render(<InvoicesCardView context={renderer.mocks.context} actions={renderer.mocks.actions} api={backend.api} />);
  return { ...renderer, backend };
}

describe('invoices card', () => {
  it('shows a spinner, then lists linked invoices with status tags and QuickBooks links', async () => {
    const hold = deferred();
    const invoices = [
      invoice({ invoice_id: '101', number: '1001', status: 'paid', status_label: 'Fully paid', balance: '0.00' }),
      invoice({ invoice_id: '102', number: '1002', status: 'overdue', status_label: 'Overdue' }),
      invoice({ invoice_id: '103', number: '1003', status: 'partially_paid', status_label: 'Partially paid' }),
      invoice({ invoice_id: '104', number: null, status: 'waiting_to_be_sent', status_label: 'Waiting to be sent' }),
    ];
    const card = renderCard({ 'GET /app/cards/deal/123': () => hold.promise.then(() => cardData({ invoices })) });
    expect(card.find(LoadingSpinner).props.label).toMatch(/Loading QuickBooks invoices/);

    hold.resolve();
    await card.waitFor(() => expect(card.findAll(StatusTag)).toHaveLength(4));
    const tag = (id) => card.findByTestId(StatusTag, `status-${US.realm_id}-${id}`);
    expect(tag('101').props.variant).toBe('success');
    expect(tag('101').text).toBe('Fully paid');
    expect(tag('102').props.variant).toBe('danger');
    expect(tag('103').props.variant).toBe('warning');
    expect(tag('104').props.variant).toBe('default');
    const link = card.findByTestId(Link, `qbo-link-${US.realm_id}-101`);
    expect(link.props.href).toEqual({ url: invoices[0].qbo_url, external: true });
    expect(link.text).toBe('1001');
    expect(card.findByTestId(Link, `qbo-link-${US.realm_id}-104`).text).toBe('#104');
    expect(textOf(card.getRootNode())).toContain('$1,200.00');
    expect(textOf(card.getRootNode())).toContain('Globex Corp');
    expect(textOf(card.getRootNode())).toContain('2026-10-01');
    expect(card.backend.calls[0].timeout).toBe(15000);
  });

  it('shows the home-currency amount only for foreign-currency invoices', async () => {
    const invoices = [
      invoice({ invoice_id: '101', currency: 'EUR', amount: '1000.00', balance: '400.00', home_currency: 'USD',
        home_amount: '1085.00', home_balance: '434.00' }),
      invoice({ invoice_id: '102' }),
    ];
    const card = renderCard({ 'GET /app/cards/deal/123': cardData({ invoices }) });
    await card.waitFor(() => expect(card.findAll(StatusTag)).toHaveLength(2));
    const text = textOf(card.getRootNode());
    expect(text).toContain('€1,000.00');
    expect(text).toContain('$1,085.00 in USD');
    expect(text).toContain('$434.00 in USD');
    expect(text.match(/ in USD/g)).toHaveLength(2);
  });

  it('offers Create invoice and Add existing invoice on a deal', async () => {
    const card = renderCard({ 'GET /app/cards/deal/123': cardData() });
    await card.waitFor(() => card.findByTestId(EmptyState, 'card-empty'));
    expect(textOf(card.findByTestId(EmptyState, 'card-empty'))).toContain('No QuickBooks invoices are linked to this deal');
    expect(card.findByTestId(Button, 'create-invoice').props.disabled).toBe(false);
    expect(textOf(card.findByTestId(Button, 'add-existing-invoice'))).toBe('Add existing invoice');
    expect(card.find(Panel, { id: 'hubbooks-create-invoice' }).props.title).toBe('Create a QuickBooks invoice');
  });

  it('has no Create invoice on a contact, only Add existing invoice', async () => {
    const card = renderCard({
      'GET /app/cards/contact/77': cardData({ object_type: 'contact', object_id: '77',
        next_actions: [{ action: 'link_existing_invoice', label: 'Add existing invoice', enabled: true }] }),
    }, { objectTypeId: CONTACT, objectId: 77 });
    await card.waitFor(() => card.findByTestId(EmptyState, 'card-empty'));
    expect(card.maybeFindByTestId(Button, 'create-invoice')).toBeNull();
    expect(card.findByTestId(Button, 'add-existing-invoice')).toBeTruthy();
    expect(textOf(card.findByTestId(EmptyState, 'card-empty'))).toContain('linked to this contact');
    // (hubspot.fetch is global in tests: a call the previous test's deal card made late may land here too)
    expect(card.backend.calls.filter((c) => c.path.startsWith('/app/cards/'))[0].path).toBe('/app/cards/contact/77');
    expect(card.backend.calls.some((c) => c.path.startsWith('/app/deals/77'))).toBe(false); // approvals: deals only
  });

  it('explains why Create invoice is disabled', async () => {
    const card = renderCard({ 'GET /app/cards/deal/123': cardData({
      next_actions: [
        { action: 'create_invoice', label: 'Create invoice', enabled: false,
          reason: 'Acme US numbers invoices itself; opt in under HubBooks settings' },
        { action: 'link_existing_invoice', label: 'Add existing invoice', enabled: true },
      ] }) });
    await card.waitFor(() => card.findByTestId(Button, 'create-invoice'));
    expect(card.findByTestId(Button, 'create-invoice').props.disabled).toBe(true);
    expect(textOf(card.findByTestId(Text, 'create-disabled-reason'))).toContain('opt in under HubBooks settings');
  });

  it('asks to connect QuickBooks when no company is connected', async () => {
    const card = renderCard({ 'GET /app/cards/deal/123': cardData({ companies: [],
      next_actions: [{ action: 'connect_quickbooks', label: 'Connect a QuickBooks company', enabled: true }] }) });
    await card.waitFor(() => card.findByTestId(EmptyState, 'card-not-connected'));
    expect(textOf(card.getRootNode())).toContain('No QuickBooks Online company is connected');
    expect(card.maybeFindByTestId(Button, 'create-invoice')).toBeNull();
  });

  it('shows the backend error message in plain words and retries', async () => {
    let attempts = 0;
    const card = renderCard({
      'GET /app/cards/deal/123': () => (++attempts === 1
        ? problem(503, 'upstream_rate_limited', 'QuickBooks is busy right now; try again in a minute.')
        : cardData({ invoices: [invoice()] })),
    });
    await card.waitFor(() => card.findByTestId(ErrorState, 'card-error'));
    expect(textOf(card.findByTestId(ErrorState, 'card-error'))).toContain('QuickBooks is busy right now; try again in a minute.');
    card.findByTestId(Button, 'card-retry').trigger('onClick');
    await card.waitFor(() => expect(card.findAll(StatusTag)).toHaveLength(1));
    expect(attempts).toBe(2);
  });

  it('falls back to a plain message when the error has no body', async () => {
    const card = renderCard({ 'GET /app/cards/deal/123': reply(502) });
    await card.waitFor(() => card.findByTestId(ErrorState, 'card-error'));
    expect(textOf(card.findByTestId(ErrorState, 'card-error'))).toContain('HubBooks had a problem answering');
  });

  it('lists linked invoices it cannot show, with the reason', async () => {
    const card = renderCard({ 'GET /app/cards/deal/123': cardData({ unavailable_invoices: [
      { realm_id: '999', invoice_id: '7', number: '0007', reason: 'The QuickBooks company is no longer connected.' },
    ] }) });
    await card.waitFor(() => card.findByTestId(Alert, 'card-unavailable'));
    expect(textOf(card.findByTestId(Alert, 'card-unavailable'))).toContain('Invoice 0007: The QuickBooks company is no longer connected.');
  });

  it('unlinks after confirmation and reloads', async () => {
    let linked = [invoice()];
    const card = renderCard({
      'GET /app/cards/deal/123': () => cardData({ invoices: linked }),
      [`DELETE /app/invoice-links/deal/123/${US.realm_id}/101`]: () => { linked = []; return { unlinked: true, deal_properties_updated: true }; },
    });
    await card.waitFor(() => card.findByTestId(Button, `confirm-unlink-${US.realm_id}-101`));
    card.findByTestId(Button, `confirm-unlink-${US.realm_id}-101`).trigger('onClick');
    await card.waitFor(() => card.findByTestId(EmptyState, 'card-empty'));
    expect(card.mocks.actions.closeOverlay.calls).toEqual([[`hubbooks-unlink-${US.realm_id}-101`]]);
    expect(textOf(card.findByTestId(Alert, 'card-notice'))).toContain('Invoice 1001 no longer shows on this deal');
    expect(card.backend.callsTo('GET', '/app/cards/deal/123')).toHaveLength(2);
  });

  it('previews the PDF in an iframe modal from a one-time link', async () => {
    const card = renderCard({
      'GET /app/cards/deal/123': cardData({ invoices: [invoice()] }),
      [`POST /app/qbo/${US.realm_id}/invoices/101/preview-link`]: { url: 'https://api.example/preview/abc', expires_at: '2026-09-15T10:10:00Z' },
    });
    await card.waitFor(() => card.findByTestId(Button, `preview-${US.realm_id}-101`));
    card.findByTestId(Button, `preview-${US.realm_id}-101`).trigger('onClick');
    // Opening the modal does not change the card's tree, so poll with vitest rather than the renderer's waitFor.
    await vi.waitFor(() => expect(card.mocks.actions.openIframeModal.calls).toHaveLength(1));
    expect(card.mocks.actions.openIframeModal.calls[0][0]).toMatchObject({ uri: 'https://api.example/preview/abc', title: 'Invoice 1001' });
  });

  it('offers the QuickBooks link when the preview cannot be opened', async () => {
    const card = renderCard({ 'GET /app/cards/deal/123': cardData({ invoices: [invoice()] }) });
    await card.waitFor(() => card.findByTestId(Button, `preview-${US.realm_id}-101`));
    card.findByTestId(Button, `preview-${US.realm_id}-101`).trigger('onClick');
    await card.waitFor(() => card.findByTestId(Alert, 'card-notice'));
    const notice = card.findByTestId(Alert, 'card-notice');
    expect(notice.props.title).toBe('The preview could not be opened');
    expect(notice.find(Link).props.href).toEqual({ url: invoice().qbo_url, external: true });
  });

  it('adds existing invoices found by number', async () => {
    let linked = [];
    const found = invoice({ realm_id: UK.realm_id, company_name: UK.company_name, invoice_id: '88', number: 'UK-88', currency: 'GBP' });
    const card = renderCard({
      'GET /app/cards/deal/123': () => cardData({ companies: [US, UK], invoices: linked }),
      [`GET /app/qbo/${UK.realm_id}/invoices`]: { invoices: [found] },
      'POST /app/invoice-links': () => { linked = [found]; return { linked: [found], already_linked: [], not_found: [], deal_properties_updated: false }; },
    });
    await card.waitFor(() => card.findByTestId(Button, 'add-existing-invoice'));
    card.find(Panel, { id: 'hubbooks-add-existing-invoice' }).trigger('onOpen');
    await card.waitFor(() => card.findByTestId(Input, 'link-number'));
    card.findByTestId(Select, 'link-company').trigger('onChange', UK.realm_id);
    card.findByTestId(Input, 'link-number').trigger('onChange', 'UK-88');
    card.findByTestId(Button, 'link-search').trigger('onClick');
    await card.waitFor(() => card.findByTestId(Checkbox, 'pick-88'));
    expect(card.backend.callsTo('GET', `/app/qbo/${UK.realm_id}/invoices`)[0].query).toEqual({ number: 'UK-88' });
    card.findByTestId(Checkbox, 'pick-88').trigger('onChange', true);
    await card.waitFor(() => expect(card.findByTestId(Button, 'link-submit').props.disabled).toBe(false));
    card.findByTestId(Button, 'link-submit').trigger('onClick');
    await card.waitFor(() => card.findByTestId(Alert, 'link-outcome'));
    expect(textOf(card.findByTestId(Alert, 'link-outcome'))).toContain('Added 1 invoice.');
    expect(card.backend.callsTo('POST', '/app/invoice-links')[0].body).toEqual({
      realm_id: UK.realm_id, invoice_ids: ['88'], object_type: 'deal', object_id: '123' });
    card.find(Panel, { id: 'hubbooks-add-existing-invoice' }).trigger('onClose');
    await card.waitFor(() => expect(card.findAll(StatusTag)).toHaveLength(1));
  });
});
