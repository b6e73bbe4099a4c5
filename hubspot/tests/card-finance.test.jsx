// Send and Void on the invoices card: the address is asked for (billing e-mail by default), the payment link is shown
// where QuickBooks gives one, Void needs a confirmation and appears only for approvers and admins.
import { describe, expect, it } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, Input, Link, StatusTag } from '@hubspot/ui-extensions';
import { InvoicesCardView } from '../src/app/cards/components/InvoicesCardView.jsx';
import { installBackend, problem, textOf } from './helpers.js';
import { cardData, invoice, US } from './fixtures.js';

const KEY = `${US.realm_id}-101`;
const SEND = `POST /app/qbo/${US.realm_id}/invoices/101/send`;
const VOID = `POST /app/qbo/${US.realm_id}/invoices/101/void`;
const LINK = 'https://connect.intuit.com/t/scs-v1-abc';

function renderCard(routes) {
  const backend = installBackend(routes);
  const renderer = createRenderer('crm.record.tab');
  renderer.mocks.context.crm.objectTypeId = '0-3';
  renderer.mocks.context.crm.objectId = 123;
  renderer.render(<InvoicesCardView context={renderer.mocks.context} actions={renderer.mocks.actions} api={backend.api} />);
  return { ...renderer, backend };
}

describe('send and void on the invoices card', () => {
  it('sends to the billing e-mail or another address, then shows the payment link and reloads', async () => {
    let shown = invoice({ bill_email: 'ap@globex.test', can_send: true, status: 'waiting_to_be_sent',
      status_label: 'Waiting to be sent' });
    const card = renderCard({
      'GET /app/cards/deal/123': () => ({ ...cardData({ invoices: [shown] }) }),
      [SEND]: (call) => {
        shown = { ...shown, status: 'sent', status_label: 'Sent to customer', payment_link: LINK };
        return { invoice: shown, sent_to: call.body.to, payment_link: LINK, deals_updated: ['123'],
          linked_to: [], warnings: [] };
      },
    });
    await card.waitFor(() => card.findByTestId(Button, `confirm-send-${KEY}`));
    expect(card.maybeFindByTestId(Button, `void-${KEY}`)).toBeNull();  // not an approver
    const address = card.findByTestId(Input, `send-to-${KEY}`);
    expect(address.props.value).toBe('ap@globex.test');
    address.trigger('onChange', 'billing@globex.test');
    card.findByTestId(Button, `confirm-send-${KEY}`).trigger('onClick');
    await card.waitFor(() => expect(card.findByTestId(StatusTag, `status-${KEY}`).text).toBe('Sent to customer'));

    const [call] = card.backend.callsTo('POST', `/app/qbo/${US.realm_id}/invoices/101/send`);
    const body = call.body;
    expect(body.to).toBe('billing@globex.test');
    expect(body.send_id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(card.mocks.actions.closeOverlay.calls).toContainEqual([`hubbooks-send-${KEY}`]);
    expect(card.mocks.actions.refreshObjectProperties.calls.length).toBeGreaterThan(0);
    expect(textOf(card.findByTestId(Alert, 'card-notice'))).toContain('was e-mailed to billing@globex.test');
    expect(card.findByTestId(Link, `payment-link-${KEY}`).props.href).toEqual({ url: LINK, external: true });
  });

  it('says what to fix when QuickBooks refuses the address, and offers no Send on a voided invoice', async () => {
    const card = renderCard({
      'GET /app/cards/deal/123': cardData({ invoices: [invoice({ can_send: true }),
        invoice({ invoice_id: '102', number: '1002', status: 'voided', status_label: 'Voided', can_send: false })] }),
      [SEND]: problem(422, 'invalid_invoice', 'Please fix the address: The part after the @ must be a domain name.',
        [{ field: 'to', message: 'The part after the @ must be a domain name.' }]),
    });
    await card.waitFor(() => card.findByTestId(Button, `confirm-send-${KEY}`));
    expect(card.maybeFindByTestId(Button, `send-${US.realm_id}-102`)).toBeNull();
    expect(card.findByTestId(Button, `confirm-send-${KEY}`).props.disabled).toBe(true);  // no address yet
    card.findByTestId(Input, `send-to-${KEY}`).trigger('onChange', 'ap@globex');
    card.findByTestId(Button, `confirm-send-${KEY}`).trigger('onClick');
    await card.waitFor(() => card.findByTestId(Alert, 'card-notice'));
    expect(textOf(card.findByTestId(Alert, 'card-notice'))).toContain('must be a domain name');
  });

  it('voids after confirmation for an approver, and shows why a paid invoice cannot be voided', async () => {
    let voided = false;
    let attempts = 0;
    const bodies = [];
    const card = renderCard({
      'GET /app/cards/deal/123': () => cardData({ invoices: [invoice(voided
        ? { status: 'voided', status_label: 'Voided', amount: '0.00', balance: '0.00' } : { can_void: true })] }),
      [VOID]: (call) => {
        bodies.push(call.body);
        if (++attempts === 1) {
          return problem(409, 'invoice_not_voidable', 'Invoice 1001 is paid, so it cannot be voided.');
        }
        voided = true;
        return { invoice: invoice({ status: 'voided', status_label: 'Voided' }), deals_updated: ['123'],
          linked_to: [], warnings: [] };
      },
    });
    await card.waitFor(() => card.findByTestId(Button, `confirm-void-${KEY}`));
    card.findByTestId(Button, `confirm-void-${KEY}`).trigger('onClick');
    await card.waitFor(() => card.findByTestId(Alert, 'card-notice'));
    expect(textOf(card.findByTestId(Alert, 'card-notice'))).toContain('is paid, so it cannot be voided');

    card.findByTestId(Button, `confirm-void-${KEY}`).trigger('onClick');
    await card.waitFor(() => expect(card.findByTestId(StatusTag, `status-${KEY}`).text).toBe('Voided'));
    expect(card.mocks.actions.closeOverlay.calls).toContainEqual([`hubbooks-void-${KEY}`]);
    expect(card.maybeFindByTestId(Button, `void-${KEY}`)).toBeNull();
    expect(bodies).toEqual([{ confirm: true }, { confirm: true }]);
  });
});
