// Approval before QuickBooks, per company: off by default; when on, the wizard's invoices wait for an approver (the
// approvers chosen below) before they are created. Admins may also let approvers approve their own requests; only
// admins can save (the backend says so to anyone else).
import React, { useEffect, useState } from 'react';
import { Alert, Button, Flex, LoadingSpinner, Text, Toggle } from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';

export function ApprovalSettings({ api, connection }) {
  const realmId = connection.realm_id;
  const [form, setForm] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [state, setState] = useState({ saving: false, result: null });

  useEffect(() => {
    let cancelled = false;
    api.approvalSettings(realmId).then((answer) => { if (!cancelled) setForm(answer); })
      .catch((error) => { if (!cancelled) setLoadError(error); });
    return () => { cancelled = true; };
  }, [api, realmId]);

  const save = async () => {
    setState({ saving: true, result: null });
    try {
      setForm(await api.saveApprovalSettings(realmId, form));
      setState({ saving: false, result: { ok: true } });
    } catch (error) {
      setState({ saving: false, result: { ok: false, error } });
    }
  };

  return (
    <Flex direction="column" gap="xs" testId={`approval-settings-${realmId}`}>
      <Text format={{ fontWeight: 'demibold' }}>{connection.company_name}</Text>
      {loadError ? <Alert title="Approval settings could not be loaded" variant="danger">{describeError(loadError)}</Alert> : null}
      {!form && !loadError ? <LoadingSpinner label="Loading approval settings" size="xs" /> : null}
      {form ? (
        <>
          <Toggle label="Invoices need an approver's yes before QuickBooks" name={`approval-${realmId}`}
            labelDisplay="inline" checked={form.required} testId={`approval-required-${realmId}`}
            onChange={(checked) => setForm((f) => ({ ...f, required: checked }))} />
          <Toggle label="Approvers may approve their own requests" name={`own-approval-${realmId}`}
            labelDisplay="inline" checked={form.requester_may_approve} readOnly={!form.required}
            testId={`approval-own-${realmId}`}
            onChange={(checked) => setForm((f) => ({ ...f, requester_may_approve: checked }))} />
          <Flex gap="sm" align="center">
            <Button onClick={save} disabled={state.saving} testId={`save-approval-${realmId}`}>
              {state.saving ? 'Saving…' : 'Save approval'}
            </Button>
            {state.result?.ok ? <Text variant="microcopy" testId={`approval-saved-${realmId}`}>Saved.</Text> : null}
          </Flex>
          {state.result && !state.result.ok ? (
            <Alert title="The approval setting was not saved" variant="danger" testId={`approval-error-${realmId}`}>
              {describeError(state.result.error)}
            </Alert>
          ) : null}
        </>
      ) : null}
    </Flex>
  );
}
