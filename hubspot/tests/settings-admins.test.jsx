// HubBooks admins on the Connections tab: the installer and added admins listed; an admin adds one by HubSpot user id
// and removes one; the backend's refusals (installer, last admin, not an admin) are shown as it words them.
// Tested with @hubspot/ui-extensions/testing.
import { describe, expect, it } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { Alert, Button, Flex, Input, Text } from '@hubspot/ui-extensions';
import { SettingsPage } from '../src/app/settings/SettingsPage.jsx';
import { installBackend, problem, textOf } from './helpers.js';
import { connection } from './fixtures.js';

function renderSettings(routes) {
  const backend = installBackend({ 'GET /oauth/qbo/connections': { portal_id: 123, connections: [connection()] },
    ...routes });
  const renderer = createRenderer('settings');
  renderer.render(<SettingsPage context={renderer.mocks.context} actions={renderer.mocks.actions} api={backend.api} />);
  return { ...renderer, backend, click: (id) => renderer.findByTestId(Button, id).trigger('onClick') };
}

const view = (added, overrides = {}) => ({ installer_user_id: 7, added_user_ids: added, you_are_admin: true,
  ...overrides });

describe('HubBooks admins on the Connections tab', () => {
  it('lists the installer and the added admins, adds one by user id and removes one', async () => {
    let added = [8];
    const s = renderSettings({
      'GET /app/admins': () => view(added),
      'POST /app/admins': (call) => { added = [...added, call.body.user_id]; return view(added); },
      'DELETE /app/admins/8': () => { added = added.filter((id) => id !== 8); return view(added); },
    });
    await s.waitFor(() => s.findByTestId(Flex, 'admin-installer'));
    expect(textOf(s.findByTestId(Flex, 'admin-installer'))).toContain('User 7installed HubBooks');
    expect(s.maybeFindByTestId(Button, 'remove-admin-7')).toBeNull();
    expect(textOf(s.findByTestId(Flex, 'admin-8'))).toContain('User 8');

    expect(s.findByTestId(Button, 'add-admin').props.disabled).toBe(true);
    s.findByTestId(Input, 'new-admin-id').trigger('onChange', '12a');
    await s.waitFor(() => expect(s.findByTestId(Input, 'new-admin-id').props.error).toBe(true));
    expect(s.findByTestId(Button, 'add-admin').props.disabled).toBe(true);
    s.findByTestId(Input, 'new-admin-id').trigger('onChange', ' 4242 ');
    await s.waitFor(() => expect(s.findByTestId(Button, 'add-admin').props.disabled).toBe(false));
    s.click('add-admin');
    await s.waitFor(() => s.findByTestId(Flex, 'admin-4242'));
    expect(s.backend.callsTo('POST', '/app/admins')[0].body).toEqual({ user_id: 4242 });
    expect(textOf(s.findByTestId(Text, 'admins-saved'))).toBe('User 4242 is now a HubBooks admin.');
    expect(s.findByTestId(Input, 'new-admin-id').props.value).toBe('');

    s.click('remove-admin-8');
    await s.waitFor(() => expect(s.maybeFindByTestId(Flex, 'admin-8')).toBeNull());
    expect(s.backend.callsTo('DELETE', '/app/admins/8')).toHaveLength(1);
    expect(textOf(s.findByTestId(Text, 'admins-saved'))).toBe('User 8 is no longer a HubBooks admin.');
  });

  it('shows the refusal to remove the last admin in the backend\'s words and keeps the list', async () => {
    const s = renderSettings({
      'GET /app/admins': view([8], { installer_user_id: null }),
      'DELETE /app/admins/8': problem(409, 'admin_kept', 'User 8 is the last HubBooks admin of this HubSpot account; '
        + 'add another admin first, then remove them.'),
    });
    await s.waitFor(() => s.findByTestId(Button, 'remove-admin-8'));
    expect(s.maybeFindByTestId(Flex, 'admin-installer')).toBeNull();
    s.click('remove-admin-8');
    await s.waitFor(() => s.findByTestId(Alert, 'admins-error'));
    expect(textOf(s.findByTestId(Alert, 'admins-error'))).toContain('last HubBooks admin');
    expect(s.findByTestId(Flex, 'admin-8')).toBeTruthy();
  });

  it('shows someone who is not an admin the list without the controls', async () => {
    const s = renderSettings({ 'GET /app/admins': view([8], { you_are_admin: false }) });
    await s.waitFor(() => s.findByTestId(Text, 'admins-admin-only'));
    expect(s.maybeFindByTestId(Button, 'remove-admin-8')).toBeNull();
    expect(s.maybeFindByTestId(Input, 'new-admin-id')).toBeNull();
  });
});
