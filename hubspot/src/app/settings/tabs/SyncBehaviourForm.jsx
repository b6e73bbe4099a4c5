// Sync on or off for one object of one company, and what happens when QuickBooks records change or go away.
import React, { useEffect, useState } from 'react';
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

export const ON_HUBSPOT_CHANGE = [
  { value: 'update_linked_only', label: 'Update the linked QuickBooks record only' },
  { value: 'create_and_update', label: 'Create a QuickBooks customer and update linked ones' },
  { value: 'nothing', label: 'Do nothing' },
];
// Products: the same choices, in the words of QuickBooks items.
const ON_HUBSPOT_PRODUCT_CHANGE = ON_HUBSPOT_CHANGE.map((o) => (o.value === 'create_and_update'
  ? { ...o, label: 'Create a QuickBooks item and update linked ones' } : o));
export const ON_HUBSPOT_DELETE = [
  { value: 'nothing', label: 'Do nothing' },
  { value: 'deactivate', label: 'Make the QuickBooks record inactive (never deleted)' },
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
        direction: form.direction ?? 'qbo_to_hubspot',
        on_hubspot_create_update: form.on_hubspot_create_update ?? 'update_linked_only',
        on_hubspot_delete: form.on_hubspot_delete ?? 'nothing',
        ...(syncObject === 'products' ? {
          income_account_id: form.item_income_account?.id ?? null,
          expense_account_id: form.item_expense_account?.id ?? null,
        } : {}),
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
      <Toggle label="Also send HubSpot changes to QuickBooks (two-way)" name={`two-way-${id}`}
        labelDisplay="inline" checked={form.direction === 'both'} readOnly={readOnly} testId={`two-way-${id}`}
        onChange={(checked) => setForm((f) => ({ ...f, direction: checked ? 'both' : 'qbo_to_hubspot' }))} />
      {form.direction === 'both' ? (
        <>
          <Text variant="microcopy" testId={`two-way-help-${id}`}>
            Each mapped field has an owner (below): QuickBooks, HubSpot, or the most recent change. Our own updates
            never bounce back. Edits of the default fields go at once; custom fields, and anything missed while
            HubBooks was unreachable, go with the hourly check (counting from when you turn this on).
          </Text>
          <Select label={`When a ${labels.hubspot} is created or changed in HubSpot`}
            name={`on-hubspot-change-${id}`} readOnly={readOnly} testId={`on-hubspot-change-${id}`}
            options={syncObject === 'products' ? ON_HUBSPOT_PRODUCT_CHANGE : ON_HUBSPOT_CHANGE}
            value={form.on_hubspot_create_update ?? 'update_linked_only'}
            onChange={(value) => setForm((f) => ({ ...f, on_hubspot_create_update: String(value) }))} />
          {syncObject === 'products' ? (
            <ItemAccounts api={api} realmId={realmId} id={id} form={form} setForm={setForm} readOnly={readOnly} />
          ) : null}
          <Select label={`When a linked ${labels.hubspot} is deleted in HubSpot`}
            name={`on-hubspot-delete-${id}`} options={ON_HUBSPOT_DELETE} readOnly={readOnly}
            value={form.on_hubspot_delete ?? 'nothing'} testId={`on-hubspot-delete-${id}`}
            onChange={(value) => setForm((f) => ({ ...f, on_hubspot_delete: String(value) }))} />
        </>
      ) : null}
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

const NO_EXPENSE = { value: '', label: 'None (items with a purchase cost are not created)' };

// The accounts QuickBooks items created from HubSpot products post to, from the company's chart of accounts (read
// for admins only; others see the names saved with the settings).
function ItemAccounts({ api, realmId, id, form, setForm, readOnly }) {
  const [accounts, setAccounts] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (readOnly) return undefined;
    let live = true;
    api.itemAccounts(realmId).then((answer) => { if (live) setAccounts(answer); },
      (failure) => { if (live) setError(failure); });
    return () => { live = false; };
  }, [api, realmId, readOnly]);
  const income = form.item_income_account;
  const expense = form.item_expense_account;
  const pick = (key, list) => (value) => {
    const account = list.find((a) => a.id === String(value));
    setForm((f) => ({ ...f, [key]: account ? { id: account.id, name: account.name } : null }));
  };
  if (readOnly) {
    return (
      <Text variant="microcopy" testId={`item-accounts-${id}`}>
        {`New QuickBooks items post sales to ${income ? income.name : 'no income account yet'}`
          + `${expense ? ` and purchases to ${expense.name}` : ''}.`}
      </Text>
    );
  }
  if (error) {
    return (
      <Alert title="QuickBooks' accounts could not be loaded" variant="warning" testId={`item-accounts-error-${id}`}>
        {describeError(error)}
      </Alert>
    );
  }
  if (accounts === null) return <Text variant="microcopy" testId={`item-accounts-loading-${id}`}>Loading accounts…</Text>;
  const option = (a) => ({ value: a.id, label: `${a.name} (${a.account_type})` });
  return (
    <>
      <Select label="Income account of new QuickBooks items" name={`income-account-${id}`}
        testId={`income-account-${id}`} required={form.on_hubspot_create_update === 'create_and_update'}
        description="QuickBooks records each item's sales in this account; it is needed to create items."
        options={accounts.income.map(option)} value={income?.id}
        onChange={pick('item_income_account', accounts.income)} />
      <Select label="Expense account of new items with a purchase cost" name={`expense-account-${id}`}
        testId={`expense-account-${id}`}
        options={[NO_EXPENSE, ...accounts.expense.map(option)]} value={expense?.id ?? ''}
        onChange={pick('item_expense_account', accounts.expense)} />
    </>
  );
}
