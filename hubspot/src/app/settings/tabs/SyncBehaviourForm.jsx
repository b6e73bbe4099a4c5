// Sync on or off for one object of one company, and what happens when QuickBooks records change or go away.
import React, { useState } from 'react';
import { Alert, Button, Flex, Select, Text, Toggle } from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';

export const ON_CHANGE = [
  { value: 'create_and_update', label: 'Create new HubSpot records and update linked ones' },
  { value: 'update_linked_only', label: 'Update linked HubSpot records only' },
  { value: 'nothing', label: 'Do nothing' },
];
export const ON_DELETE = [
  { value: 'mark_inactive', label: 'Keep the HubSpot record and mark it inactive' },
  { value: 'archive', label: 'Archive the HubSpot record' },
  { value: 'nothing', label: 'Do nothing' },
];

export function SyncBehaviourForm({ api, realmId, syncObject, view, onSaved, labels }) {
  const [form, setForm] = useState(() => ({ ...view.behaviour }));
  const [state, setState] = useState({ saving: false, error: null, saved: false });
  const readOnly = !view.can_edit;
  const id = `${syncObject}-${realmId}`;

  const save = async () => {
    setState({ saving: true, error: null, saved: false });
    try {
      const answer = await api.saveSyncBehaviour(realmId, syncObject, {
        enabled: form.enabled, on_create_update: form.on_create_update, on_delete: form.on_delete,
        inactive_property: form.on_delete === 'mark_inactive' ? (form.inactive_property || 'hubbooks_qbo_active')
          : null,
        expected_version: view.version,
      });
      setState({ saving: false, error: null, saved: true });
      onSaved(answer);
    } catch (error) {
      setState({ saving: false, error, saved: false });
    }
  };

  return (
    <Flex direction="column" gap="xs" testId={`behaviour-${id}`}>
      <Toggle label={labels.toggle} name={`enabled-${id}`} labelDisplay="inline" checked={Boolean(form.enabled)}
        readOnly={readOnly} testId={`enabled-${id}`} onChange={(checked) => setForm((f) => ({ ...f, enabled: checked }))} />
      <Select label={`When a ${labels.qbo} is created or changed in QuickBooks`} name={`on-change-${id}`}
        options={ON_CHANGE} value={form.on_create_update} readOnly={readOnly} testId={`on-change-${id}`}
        onChange={(value) => setForm((f) => ({ ...f, on_create_update: String(value) }))} />
      <Select label={`When a ${labels.qbo} is deleted or made inactive in QuickBooks`} name={`on-delete-${id}`}
        options={ON_DELETE} value={form.on_delete} readOnly={readOnly} testId={`on-delete-${id}`}
        onChange={(value) => setForm((f) => ({ ...f, on_delete: String(value) }))} />
      {readOnly ? (
        <Text variant="microcopy" testId={`read-only-${id}`}>
          Only a HubBooks admin (the person who installed HubBooks, or someone they named) can change these settings.
        </Text>
      ) : (
        <Flex gap="sm" align="center">
          <Button onClick={save} disabled={state.saving} testId={`save-behaviour-${id}`}>
            {state.saving ? 'Saving…' : 'Save'}
          </Button>
          {state.saved ? <Text variant="microcopy" testId={`behaviour-saved-${id}`}>Saved.</Text> : null}
        </Flex>
      )}
      {state.error ? (
        <Alert title="The settings were not saved" variant="danger" testId={`behaviour-error-${id}`}>
          {describeError(state.error)}
        </Alert>
      ) : null}
    </Flex>
  );
}
