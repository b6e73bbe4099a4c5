// The Invoicing tab's finance settings: reminders per company (each on or off with its days) and the approvers who
// may void; admins save, everyone else reads, and refusals are shown in the backend's words.
import { describe, expect, it } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, Input, NumberInput, Text, Toggle } from '@hubspot/ui-extensions';
import { SettingsPage } from '../src/app/settings/SettingsPage.jsx';
import { installBackend, problem, textOf } from './helpers.js';
import { connection, US } from './fixtures.js';

const OFF = { enabled: false, days: 3 };
const reminders = (overrides = {}) => ({ overdue: OFF, not_sent: OFF, due_soon: OFF, assignee_owner_id: null,
  ...overrides });
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
