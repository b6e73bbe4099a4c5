// Approval before QuickBooks in the UI: the wizard submits a request when the company needs approval; the deal's card
// shows "Awaiting approval", lets an approver edit and approve or reject with a reason, and shows the requester the
// reason; the Invoicing tab turns approval on per company. Tested with @hubspot/ui-extensions/testing.
import { describe, expect, it } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, DateInput, Flex, Input, Tag, Text, TextArea, Toggle } from '@hubspot/ui-extensions';
import { InvoiceWizard } from '../src/app/cards/components/InvoiceWizard.jsx';
import { InvoicesCardView } from '../src/app/cards/components/InvoicesCardView.jsx';
import { SettingsPage } from '../src/app/settings/SettingsPage.jsx';
import { installBackend, problem, textOf } from './helpers.js';
import {
  cardData, connection, createdInvoice, CUSTOMER, invoiceOptions, ITEM, review, suggestions, US, wizardStart,
} from './fixtures.js';

const ID = 'req-0001-abcd';
const LIST = 'GET /app/deals/123/approval-requests';
const APPROVE = `POST /app/deals/123/approval-requests/${ID}/approve`;
const REJECT = `POST /app/deals/123/approval-requests/${ID}/reject`;
const WITHDRAW = `POST /app/deals/123/approval-requests/${ID}/withdraw`;

function request(overrides = {}) {
  return {
    request_id: ID, deal_id: '123', realm_id: US.realm_id, status: 'pending', status_label: 'Awaiting approval',
    version: 1, requester_user_id: 8, requested_at: '2026-09-15T10:00:00Z', review: review(),
    submission: { realm_id: US.realm_id, customer_id: CUSTOMER.customer_id, submission_id: ID, term_id: '3',
      invoice_date: null, due_date: null, customer_message: null, quote_id: null,
      lines: [{ item_id: '30', quantity: '10', rate: '100', description: null, tax_code_id: null }] },
    rejection_reason: null, last_error: null, invoice_id: null, invoice_number: null, task_id: '9001',
    history: [{ action: 'requested', user_id: 8, at: '2026-09-15T10:00:00Z', changes: {}, reason: null }],
    you_can_approve: false, why_not: null, you_can_withdraw: false,
    ...overrides,
  };
}

function renderCard(routes) {
  const backend = installBackend({ 'GET /app/cards/deal/123': cardData(), ...routes });
  const renderer = createRenderer('crm.record.tab');
  renderer.mocks.context.crm.objectTypeId = '0-3';
  renderer.mocks.context.crm.objectId = 123;
  renderer.render(<InvoicesCardView context={renderer.mocks.context} actions={renderer.mocks.actions} api={backend.api} />);
  return { ...renderer, backend };
}

describe('approval requests on the deal card', () => {
  it('shows the requester "Awaiting approval" and why they cannot approve it themselves', async () => {
    const card = renderCard({ [LIST]: { deal_id: '123', requests: [request({
      why_not: 'You made this request, so another approver must decide it (an admin can allow otherwise).' })] } });
    await card.waitFor(() => card.findByTestId(Tag, `approval-status-${ID}`));
    expect(card.findByTestId(Tag, `approval-status-${ID}`).text).toBe('Awaiting approval');
    expect(textOf(card.findByTestId(Flex, 'approval-requests'))).toContain('Globex Corp');
    expect(textOf(card.findByTestId(Text, `approval-why-not-${ID}`))).toContain('another approver');
    expect(card.maybeFindByTestId(Button, `approve-${ID}`)).toBeNull();
  });

  it('lets an approver change the message and due date, approve, and see it approved', async () => {
    let current = request({ you_can_approve: true });
    const card = renderCard({
      [LIST]: () => ({ deal_id: '123', requests: [current] }),
      [`GET /app/qbo/${US.realm_id}/invoice-options`]: invoiceOptions(US),
      [APPROVE]: () => {
        current = request({ status: 'approved', status_label: 'Approved', version: 3, invoice_id: '101',
          invoice_number: '1001', history: [...current.history, { action: 'approved', user_id: 9,
            at: '2026-09-15T11:00:00Z', changes: { customer_message: [null, 'Thanks!'] }, reason: null }] });
        return { request: current, created: createdInvoice(), warnings: [] };
      },
    });
    await card.waitFor(() => card.findByTestId(Button, `approve-${ID}`));
    card.findByTestId(TextArea, `approval-message-${ID}`).trigger('onChange', 'Thanks!');
    card.findByTestId(DateInput, `approval-due-date-${ID}`).trigger('onChange', { year: 2026, month: 10, date: 30 });
    card.findByTestId(Button, `approve-${ID}`).trigger('onClick');
    await card.waitFor(() => expect(card.findByTestId(Tag, `approval-status-${ID}`).text).toBe('Approved'));
    const [call] = card.backend.callsTo('POST', `/app/deals/123/approval-requests/${ID}/approve`);
    expect(call.body).toEqual({ version: 1, edits: { customer_message: 'Thanks!', due_date: '2026-11-30' } });
    expect(textOf(card.findByTestId(Text, `approval-approved-${ID}`))).toContain('invoice 1001');
    expect(textOf(card.findByTestId(Alert, 'card-notice'))).toContain('was created in QuickBooks');
    expect(card.maybeFindByTestId(Button, `approve-${ID}`)).toBeNull();
  });

  it('tells the second approver that someone else approved it first', async () => {
    const card = renderCard({
      [LIST]: { deal_id: '123', requests: [request({ you_can_approve: true })] },
      [APPROVE]: problem(409, 'conflict', 'This request was already approved by user 10: invoice 1001 exists.'),
    });
    await card.waitFor(() => card.findByTestId(Button, `approve-${ID}`));
    card.findByTestId(Button, `approve-${ID}`).trigger('onClick');
    await card.waitFor(() => card.findByTestId(Alert, `approval-error-${ID}`));
    expect(textOf(card.findByTestId(Alert, `approval-error-${ID}`))).toContain('already approved by user 10');
  });

  it('shows why an approval failed and keeps the request pending', async () => {
    const card = renderCard({ [LIST]: { deal_id: '123', requests: [request({ you_can_approve: true, version: 3,
      last_error: 'Not approved: That customer no longer exists in QuickBooks; choose or create another.' })] } });
    await card.waitFor(() => card.findByTestId(Text, `approval-last-error-${ID}`));
    expect(textOf(card.findByTestId(Text, `approval-last-error-${ID}`))).toContain('customer no longer exists');
    expect(card.findByTestId(Tag, `approval-status-${ID}`).text).toBe('Awaiting approval');
  });

  it('rejects only with a reason, which the requester then sees', async () => {
    let current = request({ you_can_approve: true });
    const card = renderCard({
      [LIST]: () => ({ deal_id: '123', requests: [current] }),
      [REJECT]: (call) => {
        current = request({ status: 'rejected', status_label: 'Rejected', version: 2,
          rejection_reason: call.body.reason });
        return { request: current, created: null, warnings: [] };
      },
    });
    await card.waitFor(() => card.findByTestId(Button, `reject-${ID}`));
    expect(card.findByTestId(Button, `reject-${ID}`).props.disabled).toBe(true);
    card.findByTestId(TextArea, `reject-reason-${ID}`).trigger('onChange', 'Use the annual price list.');
    await card.waitFor(() => expect(card.findByTestId(Button, `reject-${ID}`).props.disabled).toBe(false));
    card.findByTestId(Button, `reject-${ID}`).trigger('onClick');
    await card.waitFor(() => card.findByTestId(Alert, `approval-rejected-${ID}`));
    expect(card.backend.callsTo('POST', `/app/deals/123/approval-requests/${ID}/reject`)[0].body)
      .toEqual({ version: 1, reason: 'Use the annual price list.' });
    expect(textOf(card.findByTestId(Alert, `approval-rejected-${ID}`))).toContain('Use the annual price list.');
  });
});

function renderWizard(extra) {
  const backend = installBackend({
    'GET /app/deals/123/invoice-wizard': wizardStart({ quotes: [] }),
    [`GET /app/qbo/${US.realm_id}/items`]: [ITEM],
    [`GET /app/qbo/${US.realm_id}/invoice-options`]: invoiceOptions(US),
    [`GET /app/qbo/${US.realm_id}/customer-suggestions`]: suggestions(),
    'POST /app/deals/123/invoice-review': review(),
    ...extra,
  });
  const renderer = createRenderer('crm.record.tab');
  const events = { submitted: [], created: [] };
  renderer.render(<InvoiceWizard api={backend.api} dealId="123" onCreated={(a) => events.created.push(a)}
    onSubmitted={(a) => events.submitted.push(a)} onClose={() => {}} />);
  return { ...renderer, backend, events };
}

/** From the customer step (one company, no quotes) to the review step. */
async function toReview(w) {
  const next = async () => {
    await w.waitFor(() => expect(w.findByTestId(Button, 'wizard-next').props.disabled).toBe(false));
    w.findByTestId(Button, 'wizard-next').trigger('onClick');
  };
  await w.waitFor(() => w.findByTestId(Button, `suggestion-${CUSTOMER.customer_id}`));
  w.findByTestId(Button, `suggestion-${CUSTOMER.customer_id}`).trigger('onClick');
  await next();
  await w.waitFor(() => w.findByTestId(Flex, 'wizard-step-lines'));
  w.findByTestId(Input, 'item-search').trigger('onChange', 'cons');
  w.findByTestId(Button, 'item-search-button').trigger('onClick');
  await w.waitFor(() => w.findByTestId(Button, `add-item-${ITEM.item_id}`));
  w.findByTestId(Button, `add-item-${ITEM.item_id}`).trigger('onClick');
  await next();
  await w.waitFor(() => w.findByTestId(Flex, 'wizard-step-details'));
  await next();
  await w.waitFor(() => w.findByTestId(Flex, 'wizard-step-review'));
}

describe('withdrawing a request and the decisions on the card', () => {
  it('lets the requester withdraw a pending request and shows it withdrawn with its history', async () => {
    let current = request({ you_can_withdraw: true,
      why_not: 'You made this request, so another approver must decide it (an admin can allow otherwise).' });
    const card = renderCard({
      [LIST]: () => ({ deal_id: '123', requests: [current] }),
      [WITHDRAW]: (call) => {
        current = request({ status: 'withdrawn', status_label: 'Withdrawn', version: 2, history: [...current.history,
          { action: 'withdrawn', user_id: 8, at: '2026-09-16T09:00:00Z', changes: {}, reason: call.body.reason }] });
        return { request: current, created: null, warnings: [] };
      },
    });
    await card.waitFor(() => card.findByTestId(Button, `withdraw-${ID}`));
    card.findByTestId(TextArea, `withdraw-reason-${ID}`).trigger('onChange', 'Customer wants a quote first ');
    card.findByTestId(Button, `withdraw-${ID}`).trigger('onClick');
    await card.waitFor(() => expect(card.findByTestId(Tag, `approval-status-${ID}`).text).toBe('Withdrawn'));
    expect(card.backend.callsTo('POST', `/app/deals/123/approval-requests/${ID}/withdraw`)[0].body)
      .toEqual({ version: 1, reason: 'Customer wants a quote first' });
    expect(textOf(card.findByTestId(Text, `approval-withdrawn-${ID}`))).toContain('nothing was created');
    const history = textOf(card.findByTestId(Flex, `approval-history-${ID}`));
    expect(history).toContain('Requested by user 8 on 2026-09-15');
    expect(history).toContain('Withdrawn by user 8 on 2026-09-16: Customer wants a quote first');
    expect(textOf(card.findByTestId(Alert, 'card-notice'))).toContain('task is closed');
    expect(card.maybeFindByTestId(Button, `withdraw-${ID}`)).toBeNull();
  });

  it('offers no withdraw to someone else and shows the 409 when it was decided meanwhile', async () => {
    const card = renderCard({
      [LIST]: { deal_id: '123', requests: [request({ you_can_withdraw: true }),
        request({ request_id: 'req-0002-other', you_can_withdraw: false })] },
      [WITHDRAW]: problem(409, 'conflict',
        'This request was already approved by user 9: invoice 1001 exists. It can no longer be withdrawn.'),
    });
    await card.waitFor(() => card.findByTestId(Button, `withdraw-${ID}`));
    expect(card.maybeFindByTestId(Button, 'withdraw-req-0002-other')).toBeNull();
    card.findByTestId(Button, `withdraw-${ID}`).trigger('onClick');
    await card.waitFor(() => card.findByTestId(Alert, `approval-error-${ID}`));
    expect(textOf(card.findByTestId(Alert, `approval-error-${ID}`))).toContain('can no longer be withdrawn');
  });

  it('lists each decision with what the approver changed, and warns when the timeline note is pending', async () => {
    let current = request({ you_can_approve: true });
    const card = renderCard({
      [LIST]: () => ({ deal_id: '123', requests: [current] }),
      [APPROVE]: () => {
        current = request({ status: 'approved', status_label: 'Approved', version: 3, invoice_number: '1001',
          history: [...current.history, { action: 'approve_failed', user_id: 10, at: '2026-09-15T10:30:00Z',
            changes: {}, reason: 'That customer no longer exists in QuickBooks.' }, { action: 'approved', user_id: 9,
            at: '2026-09-15T11:00:00Z', changes: { due_date: [null, '2026-11-30'] }, reason: null }] });
        return { request: current, created: createdInvoice(), warnings: [
          "The decision is saved, but the deal's timeline note could not be written yet."] };
      },
    });
    await card.waitFor(() => card.findByTestId(Button, `approve-${ID}`));
    card.findByTestId(Button, `approve-${ID}`).trigger('onClick');
    await card.waitFor(() => expect(card.findByTestId(Tag, `approval-status-${ID}`).text).toBe('Approved'));
    const history = textOf(card.findByTestId(Flex, `approval-history-${ID}`));
    expect(history).toContain('Approval by user 10 on 2026-09-15 did not go through: That customer no longer exists');
    expect(history).toContain('Approved by user 9 on 2026-09-15 (changed due date (none) → 2026-11-30)');
    const notice = card.findByTestId(Alert, 'card-notice');
    expect(notice.props.variant).toBe('warning');
    expect(textOf(notice)).toContain('timeline note could not be written');
  });
});

describe('the wizard with approval on', () => {
  it('submits a request instead of creating the invoice, and says it awaits approval', async () => {
    const w = renderWizard({
      [`GET /app/qbo/${US.realm_id}/approval-settings`]: { required: true, requester_may_approve: false,
        assignee_owner_id: null },
      'POST /app/deals/123/approval-requests': (call) => ({ request: request({ request_id: call.body.submission_id }),
        created: null, warnings: [] }),
    });
    await toReview(w);
    await w.waitFor(() => expect(textOf(w.findByTestId(Button, 'wizard-create'))).toBe('Submit for approval'));
    expect(w.findByTestId(Text, 'wizard-needs-approval')).toBeTruthy();
    w.findByTestId(Button, 'wizard-create').trigger('onClick');
    await w.waitFor(() => w.findByTestId(Alert, 'wizard-submitted'));
    expect(textOf(w.findByTestId(Alert, 'wizard-submitted'))).toContain('awaiting approval');
    const [call] = w.backend.callsTo('POST', '/app/deals/123/approval-requests');
    expect(call.body.submission_id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(call.body.customer_id).toBe(CUSTOMER.customer_id);
    expect(w.backend.callsTo('POST', '/app/deals/123/invoices')).toHaveLength(0);
    expect(w.events.submitted).toHaveLength(1);
  });

  it('keeps "Create invoice" when approval is off', async () => {
    const w = renderWizard({
      [`GET /app/qbo/${US.realm_id}/approval-settings`]: { required: false, requester_may_approve: false,
        assignee_owner_id: null },
    });
    await toReview(w);
    await w.waitFor(() => expect(w.backend.callsTo('GET', `/app/qbo/${US.realm_id}/approval-settings`)).toHaveLength(1));
    expect(textOf(w.findByTestId(Button, 'wizard-create'))).toBe('Create invoice');
    expect(w.maybeFindByTestId(Text, 'wizard-needs-approval')).toBeNull();
  });
});

describe('approval settings on the Invoicing tab', () => {
  function renderSettings(routes) {
    const backend = installBackend({ 'GET /oauth/qbo/connections': { portal_id: 123, connections: [connection()] },
      'GET /app/finance-roles': { admin_user_ids: [], approver_user_ids: [9], you_are_admin: true, you_can_void: true },
      [`GET /app/qbo/${US.realm_id}/reminder-settings`]: { overdue: { enabled: false, days: 3 },
        not_sent: { enabled: false, days: 3 }, due_soon: { enabled: false, days: 3 }, assignee_owner_id: null },
      ...routes });
    const renderer = createRenderer('settings');
    renderer.render(<SettingsPage context={renderer.mocks.context} actions={renderer.mocks.actions} api={backend.api} />);
    return { ...renderer, backend };
  }
  const OFF = { required: false, requester_may_approve: false, assignee_owner_id: null };

  it('is off by default; an admin turns it on, allows own approvals, and saves', async () => {
    const s = renderSettings({
      [`GET /app/qbo/${US.realm_id}/approval-settings`]: OFF,
      [`PUT /app/qbo/${US.realm_id}/approval-settings`]: (call) => call.body,
    });
    await s.waitFor(() => s.findByTestId(Toggle, `approval-required-${US.realm_id}`));
    expect(s.findByTestId(Toggle, `approval-required-${US.realm_id}`).props.checked).toBe(false);
    expect(s.findByTestId(Toggle, `approval-own-${US.realm_id}`).props.readOnly).toBe(true);
    s.findByTestId(Toggle, `approval-required-${US.realm_id}`).trigger('onChange', true);
    await s.waitFor(() => expect(s.findByTestId(Toggle, `approval-own-${US.realm_id}`).props.readOnly).toBe(false));
    s.findByTestId(Toggle, `approval-own-${US.realm_id}`).trigger('onChange', true);
    s.findByTestId(Button, `save-approval-${US.realm_id}`).trigger('onClick');
    await s.waitFor(() => s.findByTestId(Text, `approval-saved-${US.realm_id}`));
    expect(s.backend.callsTo('PUT', `/app/qbo/${US.realm_id}/approval-settings`)[0].body)
      .toEqual({ required: true, requester_may_approve: true, assignee_owner_id: null });
  });

  it('shows the backend\'s refusal to someone who is not an admin', async () => {
    const s = renderSettings({
      [`GET /app/qbo/${US.realm_id}/approval-settings`]: OFF,
      [`PUT /app/qbo/${US.realm_id}/approval-settings`]: problem(403, 'not_allowed',
        'Only HubBooks admins can change approvals; the user who installed the app is always one.'),
    });
    await s.waitFor(() => s.findByTestId(Toggle, `approval-required-${US.realm_id}`));
    s.findByTestId(Toggle, `approval-required-${US.realm_id}`).trigger('onChange', true);
    s.findByTestId(Button, `save-approval-${US.realm_id}`).trigger('onClick');
    await s.waitFor(() => s.findByTestId(Alert, `approval-error-${US.realm_id}`));
    expect(textOf(s.findByTestId(Alert, `approval-error-${US.realm_id}`))).toContain('Only HubBooks admins');
  });
});
