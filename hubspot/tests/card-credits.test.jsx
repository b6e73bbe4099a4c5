// Credit memos and refunds of a contact's QuickBooks customer on the card: their own section, with what is not yet
// applied; none on a record that has none.
import { describe, expect, it } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Flex, StatusTag, Tag, Text } from '@hubspot/ui-extensions';
import { InvoicesCardView } from '../src/app/cards/components/InvoicesCardView.jsx';
import { installBackend, textOf } from './helpers.js';
import { cardData, invoice, US } from './fixtures.js';

const CONTACT = '0-1';

function renderCard(data) {
  const backend = installBackend({ 'GET /app/cards/contact/51': data });
  const renderer = createRenderer('crm.record.tab');
  renderer.mocks.context.crm.objectTypeId = CONTACT;
  renderer.mocks.context.crm.objectId = 51;
  renderer.render(<InvoicesCardView context={renderer.mocks.context} actions={renderer.mocks.actions} api={backend.api} />);
  return renderer;
}

const credit = (overrides = {}) => ({ kind: 'credit_memo', label: 'Credit memo', realm_id: US.realm_id, txn_id: '70',
  number: 'CM70', customer: 'Globex Corp', date: '2026-09-10', amount: '40.00', unapplied: '30.00', currency: 'USD',
  ...overrides });

describe('credits and refunds on the card', () => {
  it('lists credit memos and refunds beside the invoices', async () => {
    const card = renderCard(cardData({ object_type: 'contact', object_id: '51', invoices: [invoice()],
      credits: [credit(), credit({ kind: 'refund', label: 'Refund', txn_id: '80', number: 'R80', amount: '20.00',
        unapplied: '0.00' })] }));
    await card.waitFor(() => card.findByTestId(Flex, 'card-credits'));
    expect(card.findAll(Tag).map((tag) => tag.text)).toEqual(['Credit memo', 'Refund']);
    expect(textOf(card.findByTestId(Text, 'credit-amount-credit_memo-70'))).toContain('40.00');
    expect(textOf(card.findByTestId(Text, 'credit-amount-refund-80'))).toContain('20.00');
    expect(textOf(card.findByTestId(Flex, 'card-credits'))).toContain('30.00');
  });

  it('has no credits section when the customer has none', async () => {
    const card = renderCard(cardData({ object_type: 'contact', object_id: '51', invoices: [invoice()] }));
    await card.waitFor(() => card.findByTestId(StatusTag, `status-${US.realm_id}-101`));
    expect(card.maybeFindByTestId(Flex, 'card-credits')).toBeNull();
  });
});
