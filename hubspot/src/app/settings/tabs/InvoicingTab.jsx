// Invoicing tab: how HubBooks numbers the invoices it creates, per company, and where the other defaults come from.
import React, { useEffect, useState } from 'react';
import { Alert, Button, Divider, EmptyState, Flex, Heading, Input, LoadingSpinner, Text, Toggle } from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';
import { ApprovalSettings } from './ApprovalSettings.jsx';
import { AutoLinkSettings } from './AutoLinkSettings.jsx';
import { Approvers, ReminderSettings } from './FinanceSettings.jsx';

export function InvoiceNumbering({ api, connection }) {
  const realmId = connection.realm_id;
  const [view, setView] = useState(null);
  const [form, setForm] = useState({ assign: false, prefix: 'HB-' });
  const [loadError, setLoadError] = useState(null);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState(null);

  const apply = (answer) => {
    setView(answer);
    setForm({ assign: Boolean(answer.assign_doc_numbers), prefix: answer.doc_number_prefix ?? 'HB-' });
  };

  useEffect(() => {
    let cancelled = false;
    api.invoicingSettings(realmId).then((answer) => { if (!cancelled) apply(answer); })
      .catch((problem) => { if (!cancelled) setLoadError(problem); });
    return () => { cancelled = true; };
  }, [api, realmId]);

  const save = async () => {
    setSaving(true);
    setResult(null);
    try {
      apply(await api.saveInvoicingSettings(realmId, { assignDocNumbers: form.assign, docNumberPrefix: form.prefix }));
      setResult({ ok: true });
    } catch (problem) {
      setResult({ ok: false, error: problem });
    } finally {
      setSaving(false);
    }
  };

  const prefixProblem = result && !result.ok
    ? (result.error.fields ?? []).find((f) => String(f.field).includes('prefix')) : null;
  return (
    <Flex direction="column" gap="xs" testId={`numbering-${realmId}`}>
      <Text format={{ fontWeight: 'demibold' }}>{connection.company_name}</Text>
      {loadError ? <Alert title="Settings could not be loaded" variant="danger">{describeError(loadError)}</Alert> : null}
      {!view && !loadError ? <LoadingSpinner label="Loading invoice numbering" size="xs" /> : null}
      {view ? (
        <>
          <Text variant="microcopy">
            This company uses custom transaction numbers, so QuickBooks expects every invoice to arrive with a number.
            HubBooks can number the invoices it creates: the prefix followed by the next free number.
          </Text>
          <Toggle label="Let HubBooks number the invoices it creates" name={`assign-${realmId}`} labelDisplay="inline"
            checked={form.assign} testId={`assign-${realmId}`}
            onChange={(checked) => setForm((f) => ({ ...f, assign: checked }))} />
          <Input label="Number prefix" name={`prefix-${realmId}`} value={form.prefix} testId={`prefix-${realmId}`}
            readOnly={!form.assign} error={Boolean(prefixProblem)} validationMessage={prefixProblem?.message}
            onChange={(value) => setForm((f) => ({ ...f, prefix: value }))} />
          <Flex gap="sm" align="center">
            <Button onClick={save} disabled={saving} testId={`save-numbering-${realmId}`}>
              {saving ? 'Saving…' : 'Save'}
            </Button>
            {result?.ok ? <Text variant="microcopy" testId={`saved-${realmId}`}>Saved.</Text> : null}
          </Flex>
          {result && !result.ok ? (
            <Alert title="The setting was not saved" variant="danger" testId={`numbering-error-${realmId}`}>
              {describeError(result.error)}
            </Alert>
          ) : null}
          {!view.can_create_invoices && view.blocked_reason ? (
            <Alert title="Invoices cannot be created in this company yet" variant="warning"
              testId={`blocked-${realmId}`}>{view.blocked_reason}</Alert>
          ) : null}
        </>
      ) : null}
    </Flex>
  );
}

export function InvoicingTab({ api, connections }) {
  const connected = connections.filter((c) => c.status === 'connected');
  if (connected.length === 0) {
    return (
      <EmptyState title="Connect a company first" layout="vertical" testId="invoicing-empty">
        <Text>Invoice settings are per QuickBooks company. Connect one on the Connections tab.</Text>
      </EmptyState>
    );
  }
  const numbered = connected.filter((c) => c.custom_txn_numbers);
  const automatic = connected.filter((c) => !c.custom_txn_numbers);
  return (
    <Flex direction="column" gap="md" testId="invoicing-tab">
      <Heading>Invoice numbers</Heading>
      {automatic.map((c) => (
        <Text key={c.realm_id} testId={`numbering-auto-${c.realm_id}`}>
          {c.company_name}: QuickBooks numbers the invoices HubBooks creates, as it numbers your other invoices.
        </Text>
      ))}
      {numbered.map((c) => <InvoiceNumbering key={c.realm_id} api={api} connection={c} />)}
      <Divider />
      <Heading>Reminders as HubSpot tasks</Heading>
      <Text variant="microcopy">
        Each morning HubBooks opens one task per invoice and reason on its deal, for the deal owner, and completes it
        by itself once the reason is gone (paid, sent, voided).
      </Text>
      {connected.map((c) => <ReminderSettings key={c.realm_id} api={api} connection={c} />)}
      <Divider />
      <Heading>Approval before QuickBooks</Heading>
      <Text variant="microcopy">
        When on, "Create invoice" sends a request: the approvers get a HubSpot task, and the invoice is created in
        QuickBooks once one of them approves it on the deal.
      </Text>
      {connected.map((c) => <ApprovalSettings key={c.realm_id} api={api} connection={c} />)}
      <Divider />
      <Heading>QuickBooks invoices on contacts and companies</Heading>
      {connected.map((c) => <AutoLinkSettings key={c.realm_id} api={api} connection={c} />)}
      <Divider />
      <Heading>Approvers (approve invoice requests, void invoices)</Heading>
      <Approvers api={api} />
      <Divider />
      <Heading>Defaults</Heading>
      <Text testId="invoicing-defaults">
        Payment terms, tax codes and the customer message start from each company's QuickBooks preferences (Account
        and settings → Sales in QuickBooks); the create-invoice wizard shows them and lets you change them per
        invoice.
      </Text>
    </Flex>
  );
}
