// The Invoicing tab's finance settings: reminders per company (each on or off with its days; deposit and pay-a-vendor
// for a finance user picked from the HubSpot owners) and the approvers who may void; admins save, everyone else reads,
// and refusals are shown in the backend's words.
import { describe, expect, it } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, Input, NumberInput, Select, Text, Toggle } from '@hubspot/ui-extensions';
import { SettingsPage } from '../src/app/settings/SettingsPage.jsx';
import { installBackend, problem, textOf } from './helpers.js';
import { connection, US } from './fixtures.js';

const OFF = { enabled: false, days: 3 };
const reminders = (overrides = {}) => ({ overdue: OFF, not_sent: OFF, due_soon: OFF, deposit: OFF, pay_vendor: OFF,
  assignee_owner_id: null, finance_owner_id: null, ...overrides });
const roles = (overrides = {}) => ({ admin_user_ids: [], approver_user_ids: [], you_are_admin: true,
  you_can_void: true, ...overrides });

function renderSettings(routes) {
  const backend = installBackend({ 'GET /oauth/qbo/connections': { portal_id: 123, connections: [connection()] },
    ...routes });
  const renderer = createRenderer('settings');
  renderer.render(<SettingsPage context={renderer.mocks.context} actions={renderer.mocks.actions} api={backend.api} />);
  return { ...renderer, backend };
}

describe('finance settings', () => {
  it('turns the overdue reminder on with its days and saves', async () => {
    const s = renderSettings({
      [`GET /app/qbo/${US.realm_id}/reminder-settings`]: reminders(),
      [`PUT /app/qbo/${US.realm_id}/reminder-settings`]: (call) => call.body,
      'GET /app/finance-roles': roles(),
    });
    await s.waitFor(() => s.findByTestId(Toggle, `reminder-overdue-${US.realm_id}`));
    expect(s.findByTestId(NumberInput, `reminder-overdue-days-${US.realm_id}`).props.readOnly).toBe(true);
    s.findByTestId(Toggle, `reminder-overdue-${US.realm_id}`).trigger('onChange', true);
    await s.waitFor(() => expect(s.findByTestId(NumberInput, `reminder-overdue-days-${US.realm_id}`).props.readOnly)
      .toBe(false));
    s.findByTestId(NumberInput, `reminder-overdue-days-${US.realm_id}`).trigger('onChange', 5);
    s.findByTestId(Button, `save-reminders-${US.realm_id}`).trigger('onClick');
    await s.waitFor(() => s.findByTestId(Text, `reminders-saved-${US.realm_id}`));
    expect(s.backend.callsTo('PUT', `/app/qbo/${US.realm_id}/reminder-settings`)[0].body)
      .toEqual(reminders({ overdue: { enabled: true, days: 5 } }));
  });

  it('shows why reminders were not saved', async () => {
    const s = renderSettings({
      [`GET /app/qbo/${US.realm_id}/reminder-settings`]: reminders(),
      [`PUT /app/qbo/${US.realm_id}/reminder-settings`]: problem(403, 'not_allowed',
        'Only HubBooks admins can change the reminders; the user who installed the app is always one.'),
      'GET /app/finance-roles': roles({ you_are_admin: false, you_can_void: false }),
    });
    await s.waitFor(() => s.findByTestId(Button, `save-reminders-${US.realm_id}`));
    s.findByTestId(Button, `save-reminders-${US.realm_id}`).trigger('onClick');
    await s.waitFor(() => s.findByTestId(Alert, `reminders-error-${US.realm_id}`));
    expect(textOf(s.findByTestId(Alert, `reminders-error-${US.realm_id}`))).toContain('Only HubBooks admins');
    expect(s.findByTestId(Input, 'approver-ids').props.readOnly).toBe(true);
    expect(s.maybeFindByTestId(Button, 'save-approvers')).toBeNull();
  });

  it('lets an admin name the approvers, refusing what is not a user id', async () => {
    const s = renderSettings({
      [`GET /app/qbo/${US.realm_id}/reminder-settings`]: reminders(),
      'GET /app/finance-roles': roles({ admin_user_ids: [9], approver_user_ids: [5] }),
      'PUT /app/finance-roles': (call) => roles({ ...call.body }),
    });
    await s.waitFor(() => s.findByTestId(Input, 'approver-ids'));
    expect(s.findByTestId(Input, 'approver-ids').props.value).toBe('5');
    s.findByTestId(Input, 'approver-ids').trigger('onChange', '5, sam');
    await s.waitFor(() => expect(s.findByTestId(Button, 'save-approvers').props.disabled).toBe(true));
    s.findByTestId(Input, 'approver-ids').trigger('onChange', '5, 12');
    await s.waitFor(() => expect(s.findByTestId(Button, 'save-approvers').props.disabled).toBe(false));
    s.findByTestId(Button, 'save-approvers').trigger('onClick');
    await s.waitFor(() => s.findByTestId(Text, 'approvers-saved'));
    expect(s.backend.callsTo('PUT', '/app/finance-roles')[0].body).toEqual({ admin_user_ids: [9],
      approver_user_ids: [5, 12] });
  });
});

describe('finance user reminders', () => {
  const owners = { owners: [{ owner_id: '80000001', user_id: 7000001, name: 'Ann Books', email: 'ann@books.example' },
    { owner_id: '80000002', user_id: 7000002, name: 'Fiona Finance', email: null }] };

  it('turns the bank deposit reminder on for a finance user picked from the HubSpot owners and saves', async () => {
    const s = renderSettings({
      [`GET /app/qbo/${US.realm_id}/reminder-settings`]: reminders(),
      [`PUT /app/qbo/${US.realm_id}/reminder-settings`]: (call) => call.body,
      'GET /app/finance-roles': roles(),
      'GET /app/hubspot-owners': owners,
    });
    await s.waitFor(() => s.findByTestId(Toggle, `reminder-deposit-${US.realm_id}`));
    expect(s.maybeFindByTestId(Select, `finance-user-${US.realm_id}`)).toBeNull();  // no owners read until needed
    expect(s.backend.callsTo('GET', '/app/hubspot-owners')).toHaveLength(0);
    s.findByTestId(Toggle, `reminder-deposit-${US.realm_id}`).trigger('onChange', true);
    await s.waitFor(() => s.findByTestId(Select, `finance-user-${US.realm_id}`));
    expect(s.findByTestId(Select, `finance-user-${US.realm_id}`).props.options).toEqual([
      { label: 'Ann Books (ann@books.example)', value: '80000001' }, { label: 'Fiona Finance', value: '80000002' }]);
    expect(s.findByTestId(Button, `save-reminders-${US.realm_id}`).props.disabled).toBe(true);
    expect(textOf(s.findByTestId(Text, `finance-user-needed-${US.realm_id}`))).toContain('Choose the finance user');
    s.findByTestId(Select, `finance-user-${US.realm_id}`).trigger('onChange', '80000002');
    s.findByTestId(NumberInput, `reminder-deposit-days-${US.realm_id}`).trigger('onChange', 2);
    s.findByTestId(Toggle, `reminder-pay_vendor-${US.realm_id}`).trigger('onChange', true);
    await s.waitFor(() => expect(s.findByTestId(Button, `save-reminders-${US.realm_id}`).props.disabled).toBe(false));
    s.findByTestId(Button, `save-reminders-${US.realm_id}`).trigger('onClick');
    await s.waitFor(() => s.findByTestId(Text, `reminders-saved-${US.realm_id}`));
    expect(s.backend.callsTo('PUT', `/app/qbo/${US.realm_id}/reminder-settings`)[0].body).toEqual(reminders({
      deposit: { enabled: true, days: 2 }, pay_vendor: { enabled: true, days: 3 }, finance_owner_id: '80000002' }));
  });

  it('sends the invoice tasks to a chosen HubSpot owner instead of each deal\'s owner, and back', async () => {
    const s = renderSettings({
      [`GET /app/qbo/${US.realm_id}/reminder-settings`]: reminders(),
      [`PUT /app/qbo/${US.realm_id}/reminder-settings`]: (call) => call.body,
      'GET /app/finance-roles': roles(),
      'GET /app/hubspot-owners': owners,
    });
    await s.waitFor(() => s.findByTestId(Toggle, `reminder-overdue-${US.realm_id}`));
    expect(s.maybeFindByTestId(Select, `task-assignee-${US.realm_id}`)).toBeNull();
    s.findByTestId(Toggle, `reminder-overdue-${US.realm_id}`).trigger('onChange', true);
    await s.waitFor(() => s.findByTestId(Select, `task-assignee-${US.realm_id}`));
    const picker = s.findByTestId(Select, `task-assignee-${US.realm_id}`);
    expect(picker.props.value).toBe('');
    expect(picker.props.options.map((o) => o.value)).toEqual(['', '80000001', '80000002']);
    picker.trigger('onChange', '80000001');
    s.findByTestId(Toggle, `reminder-pay_vendor-${US.realm_id}`).trigger('onChange', true);
    await s.waitFor(() => s.findByTestId(Select, `finance-user-${US.realm_id}`));
    s.findByTestId(Select, `finance-user-${US.realm_id}`).trigger('onChange', '80000002');
    await s.waitFor(() => expect(s.findByTestId(Button, `save-reminders-${US.realm_id}`).props.disabled).toBe(false));
    s.findByTestId(Button, `save-reminders-${US.realm_id}`).trigger('onClick');
    await s.waitFor(() => s.findByTestId(Text, `reminders-saved-${US.realm_id}`));
    expect(s.backend.callsTo('GET', '/app/hubspot-owners')).toHaveLength(1);  // both pickers share one read
    expect(s.backend.callsTo('PUT', `/app/qbo/${US.realm_id}/reminder-settings`)[0].body).toEqual(reminders({
      overdue: { enabled: true, days: 3 }, pay_vendor: { enabled: true, days: 3 }, assignee_owner_id: '80000001',
      finance_owner_id: '80000002' }));
    s.findByTestId(Select, `task-assignee-${US.realm_id}`).trigger('onChange', '');
    s.findByTestId(Button, `save-reminders-${US.realm_id}`).trigger('onClick');
    await s.waitFor(() => expect(s.backend.callsTo('PUT', `/app/qbo/${US.realm_id}/reminder-settings`)).toHaveLength(2));
    expect(s.backend.callsTo('PUT', `/app/qbo/${US.realm_id}/reminder-settings`)[1].body.assignee_owner_id).toBeNull();
  });

  it('says so when the HubSpot users cannot be read', async () => {
    const s = renderSettings({
      [`GET /app/qbo/${US.realm_id}/reminder-settings`]: reminders({ pay_vendor: { enabled: true, days: 5 },
        finance_owner_id: '80000001' }),
      'GET /app/finance-roles': roles(),
      'GET /app/hubspot-owners': problem(502, 'hubspot_missing_scopes',
        'The HubSpot app lacks a permission this needs; reinstall it to grant it (listing the portal\'s HubSpot owners).'),
    });
    await s.waitFor(() => s.findByTestId(Toggle, `reminder-pay_vendor-${US.realm_id}`));
    await s.waitFor(() => expect(s.findAll(Alert).map(textOf).join(' ')).toContain('reinstall it to grant it'));
    expect(s.findByTestId(NumberInput, `reminder-pay_vendor-days-${US.realm_id}`).props.value).toBe(5);
  });
});
