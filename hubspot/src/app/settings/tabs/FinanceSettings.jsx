// Finance settings on the Invoicing tab: which reminders become HubSpot tasks (per company, each on or off with its
// own number of days; the bank deposit and pay-a-vendor ones go to a chosen finance user), and who may void invoices
// (approvers) besides HubBooks admins. Only admins can save.
import React, { useEffect, useState } from 'react';
import { Alert, Button, Flex, Input, LoadingSpinner, NumberInput, Select, Text, Toggle } from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';
import { SaveFailed } from '@hubbooks/ui-shared/notices';

const KINDS = [
  ['overdue', 'Overdue payment', 'days after the due date'],
  ['not_sent', 'Invoice not sent', 'days after the invoice date'],
  ['due_soon', 'Due soon', 'days before the due date'],
];
// Tasks for the finance user rather than a deal's owner.
const MONEY_KINDS = [
  ['deposit', 'Bank deposit', 'days in Undeposited Funds'],
  ['pay_vendor', 'Pay a vendor', 'days before a bill is due'],
];
const OFF = { enabled: false, days: 3 };

function ReminderRow({ kind, label, unit, realmId, rule, change }) {
  return (
    <Flex gap="sm" align="center">
      <Toggle label={label} name={`${kind}-${realmId}`} labelDisplay="inline" checked={rule.enabled}
        testId={`reminder-${kind}-${realmId}`} onChange={(checked) => change(kind, { enabled: checked })} />
      <NumberInput label={unit} name={`${kind}-days-${realmId}`} value={rule.days} min={0} max={365}
        precision={0} readOnly={!rule.enabled} testId={`reminder-${kind}-days-${realmId}`}
        onChange={(days) => change(kind, { days: Number(days ?? 0) })} />
    </Flex>
  );
}

// The portal's active HubSpot owners, read once and only when a picker needs them.
function useOwners(api, needed) {
  const [owners, setOwners] = useState({ list: null, error: null });
  const asked = owners.list !== null || owners.error !== null;
  useEffect(() => {
    if (!needed || asked) return undefined;
    let cancelled = false;
    api.hubspotOwners().then((answer) => { if (!cancelled) setOwners({ list: answer.owners, error: null }); })
      .catch((failure) => { if (!cancelled) setOwners({ list: null, error: failure }); });
    return () => { cancelled = true; };
  }, [api, needed, asked]);
  return owners;
}

// A HubSpot owner picked from the portal's active owners; `noneLabel` offers "nobody chosen" as a choice (null).
function OwnerSelect({ owners, label, name, testId, description, placeholder, noneLabel, value, onChange }) {
  if (owners.error) {
    return <Alert title="HubSpot users could not be loaded" variant="danger">{describeError(owners.error)}</Alert>;
  }
  if (!owners.list) return <LoadingSpinner label="Loading HubSpot users" size="xs" />;
  const options = owners.list.map((o) => ({ label: o.email ? `${o.name} (${o.email})` : o.name, value: o.owner_id }));
  const none = noneLabel ? [{ label: noneLabel, value: '' }] : [];
  return (
    <Select label={label} name={name} value={value ?? (noneLabel ? '' : undefined)} options={[...none, ...options]}
      placeholder={placeholder} testId={testId} description={description}
      onChange={(picked) => onChange(picked ? String(picked) : null)} />
  );
}

function useSaving() {
  const [state, setState] = useState({ saving: false, result: null });
  const run = async (work) => {
    setState({ saving: true, result: null });
    try {
      await work();
      setState({ saving: false, result: { ok: true } });
    } catch (error) {
      setState({ saving: false, result: { ok: false, error } });
    }
  };
  return [state, run];
}

export function ReminderSettings({ api, connection }) {
  const realmId = connection.realm_id;
  const [form, setForm] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [{ saving, result }, run] = useSaving();

  useEffect(() => {
    let cancelled = false;
    api.reminderSettings(realmId)
      .then((answer) => { if (!cancelled) setForm({ deposit: OFF, pay_vendor: OFF, finance_owner_id: null, ...answer }); })
      .catch((error) => { if (!cancelled) setLoadError(error); });
    return () => { cancelled = true; };
  }, [api, realmId]);

  const change = (kind, patch) => setForm((f) => ({ ...f, [kind]: { ...f[kind], ...patch } }));
  const save = () => run(async () => setForm(await api.saveReminderSettings(realmId, form)));
  const needsFinanceUser = Boolean(form && (form.deposit.enabled || form.pay_vendor.enabled) && !form.finance_owner_id);
  const showsFinanceUser = Boolean(form && (form.deposit.enabled || form.pay_vendor.enabled || form.finance_owner_id));
  const showsAssignee = Boolean(form && (KINDS.some(([kind]) => form[kind].enabled) || form.assignee_owner_id));
  const owners = useOwners(api, showsFinanceUser || showsAssignee);

  return (
    <Flex direction="column" gap="xs" testId={`reminders-${realmId}`}>
      <Text format={{ fontWeight: 'demibold' }}>{connection.company_name}</Text>
      {loadError ? <Alert title="Reminders could not be loaded" variant="danger">{describeError(loadError)}</Alert> : null}
      {!form && !loadError ? <LoadingSpinner label="Loading reminders" size="xs" /> : null}
      {form ? (
        <>
          {KINDS.map(([kind, label, unit]) => (
            <ReminderRow key={kind} kind={kind} label={label} unit={unit} realmId={realmId} rule={form[kind]}
              change={change} />
          ))}
          {showsAssignee ? (
            <OwnerSelect owners={owners} label="Invoice tasks go to" name={`task-assignee-${realmId}`}
              testId={`task-assignee-${realmId}`} noneLabel="Each deal's owner"
              description="Who gets the overdue, not sent and due soon tasks."
              value={form.assignee_owner_id} onChange={(owner) => setForm((f) => ({ ...f, assignee_owner_id: owner }))} />
          ) : null}
          <Text variant="microcopy">For the finance user:</Text>
          {MONEY_KINDS.map(([kind, label, unit]) => (
            <ReminderRow key={kind} kind={kind} label={label} unit={unit} realmId={realmId} rule={form[kind]}
              change={change} />
          ))}
          {showsFinanceUser ? (
            <OwnerSelect owners={owners} label="Finance user" name={`finance-user-${realmId}`}
              testId={`finance-user-${realmId}`} placeholder="Choose who gets these tasks"
              description="Gets the bank deposit and pay-a-vendor tasks in HubSpot."
              value={form.finance_owner_id} onChange={(owner) => setForm((f) => ({ ...f, finance_owner_id: owner }))} />
          ) : null}
          {needsFinanceUser ? (
            <Text variant="microcopy" testId={`finance-user-needed-${realmId}`}>
              Choose the finance user to save the bank deposit and pay-a-vendor reminders.
            </Text>
          ) : null}
          <Flex gap="sm" align="center">
            <Button onClick={save} disabled={saving || needsFinanceUser} testId={`save-reminders-${realmId}`}>
              {saving ? 'Saving…' : 'Save reminders'}
            </Button>
            {result?.ok ? <Text variant="microcopy" testId={`reminders-saved-${realmId}`}>Saved.</Text> : null}
          </Flex>
          <SaveFailed result={result} title="The reminders were not saved" testId={`reminders-error-${realmId}`} />
        </>
      ) : null}
    </Flex>
  );
}

const ids = (text) => text.split(/[\s,]+/).filter(Boolean).map(Number);

export function Approvers({ api }) {
  const [view, setView] = useState(null);
  const [text, setText] = useState('');
  const [loadError, setLoadError] = useState(null);
  const [{ saving, result }, run] = useSaving();

  const apply = (answer) => { setView(answer); setText(answer.approver_user_ids.join(', ')); };
  useEffect(() => {
    let cancelled = false;
    api.financeRoles().then((answer) => { if (!cancelled) apply(answer); })
      .catch((error) => { if (!cancelled) setLoadError(error); });
    return () => { cancelled = true; };
  }, [api]);

  const invalid = text.trim() !== '' && ids(text).some((id) => !Number.isInteger(id) || id <= 0);
  const save = () => run(async () => apply(await api.saveFinanceRoles({
    admin_user_ids: view.admin_user_ids, approver_user_ids: ids(text) })));

  return (
    <Flex direction="column" gap="xs" testId="approvers">
      {loadError ? <Alert title="Approvers could not be loaded" variant="danger">{describeError(loadError)}</Alert> : null}
      {!view && !loadError ? <LoadingSpinner label="Loading approvers" size="xs" /> : null}
      {view ? (
        <>
          <Input label="Approvers (HubSpot user ids)" name="approvers" value={text} readOnly={!view.you_are_admin}
            error={invalid} validationMessage={invalid ? 'Enter HubSpot user ids (numbers), separated by commas.' : ''}
            description="Approvers and HubBooks admins may void invoices." testId="approver-ids"
            onChange={setText} />
          {view.you_are_admin ? (
            <Button onClick={save} disabled={saving || invalid} testId="save-approvers">
              {saving ? 'Saving…' : 'Save approvers'}
            </Button>
          ) : <Text variant="microcopy" testId="approvers-admin-only">Only HubBooks admins can change them.</Text>}
          {result?.ok ? <Text variant="microcopy" testId="approvers-saved">Saved.</Text> : null}
          <SaveFailed result={result} title="The approvers were not saved" testId="approvers-error" />
        </>
      ) : null}
    </Flex>
  );
}
