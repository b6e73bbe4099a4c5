// The Contacts, Products and Sync health tabs: behaviours, mappings with status, backfill with progress, and
// failing records with retry, rendered with HubSpot's testing renderer against a fake backend.
import { describe, expect, it } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import {
  Alert, Button, Flex, Heading, ProgressBar, Select, StatusTag, Tab, TableRow, Tabs, Text, Toggle,
} from '@hubspot/ui-extensions';
import { SettingsPage } from '../src/app/settings/SettingsPage.jsx';
import { installBackend, problem, textOf } from './helpers.js';
import { backfillRun, connection, mappingRow, syncView, US } from './fixtures.js';

const R = US.realm_id;
const noRun = { [`GET /app/qbo/${R}/sync-backfill`]: problem(404, 'not_found', 'No backfill yet') };

function renderTab(tab, routes) {
  const backend = installBackend({ 'GET /oauth/qbo/connections': { portal_id: 123, connections: [connection()] },
    ...noRun, ...routes });
  const renderer = createRenderer('settings');
  renderer.render(<SettingsPage context={renderer.mocks.context} actions={renderer.mocks.actions}
    api={backend.api} noticeMs={40} pollMs={5} />);
  const s = { ...renderer, backend, click: (id) => renderer.findByTestId(Button, id).trigger('onClick') };
  return s.waitFor(() => s.findByTestId(Tabs, 'settings-tabs')).then(() => {
    s.findByTestId(Tabs, 'settings-tabs').trigger('onSelectedChange', tab);
    return s;
  });
}

const objectRoutes = (overrides = {}) => ({
  [`GET /app/qbo/${R}/sync/contacts`]: syncView('contacts', overrides),
  [`GET /app/qbo/${R}/sync/companies`]: syncView('companies', { mappings: [], ...overrides }),
});

describe('Contacts tab', () => {
  it('shows contacts and companies per company, with the mapping status of each mapping', async () => {
    const s = await renderTab('contacts', objectRoutes());
    await s.waitFor(() => s.findByTestId(TableRow, `mapping-contacts-${R}-email`));
    expect(s.findByTestId(Tab, 'tab-contacts').findAll(Heading).map(textOf))
      .toEqual(['Contacts: Acme US', 'Companies: Acme US']);
    const email = s.findByTestId(TableRow, `mapping-contacts-${R}-email`);
    expect(email.find(StatusTag).props.variant).toBe('success');
    expect(textOf(email)).toContain('12');
    const notes = s.findByTestId(TableRow, `mapping-contacts-${R}-notes`);
    expect(notes.find(StatusTag).props.variant).toBe('danger');
    expect(textOf(notes.find(StatusTag))).toContain("no contacts property named 'hubbooks_qbo_notes'");
  });

  it('turns sync on with the chosen behaviours, sending the version the form was opened on', async () => {
    const s = await renderTab('contacts', {
      ...objectRoutes(),
      [`PUT /app/qbo/${R}/sync/contacts/behaviour`]: (call) => syncView('contacts', {
        version: 1, behaviour: { ...call.body } }),
    });
    await s.waitFor(() => s.findByTestId(Toggle, `enabled-contacts-${R}`));
    s.findByTestId(Toggle, `enabled-contacts-${R}`).trigger('onChange', true);
    s.findByTestId(Select, `on-change-contacts-${R}`).trigger('onChange', 'update_linked_only');
    s.findByTestId(Select, `on-delete-contacts-${R}`).trigger('onChange', 'archive');
    s.click(`save-behaviour-contacts-${R}`);
    await s.waitFor(() => s.findByTestId(Text, `behaviour-saved-contacts-${R}`));
    expect(s.backend.callsTo('PUT', `/app/qbo/${R}/sync/contacts/behaviour`)[0].body).toEqual({
      enabled: true, on_create_update: 'update_linked_only', on_delete: 'archive', inactive_property: null,
      direction: 'qbo_to_hubspot', on_hubspot_create_update: 'update_linked_only', on_hubspot_delete: 'nothing',
      expected_version: 0 });
    expect(s.findByTestId(Toggle, `enabled-contacts-${R}`).props.checked).toBe(true);
  });

  it('turns two-way sync on with what HubSpot changes and deletions do', async () => {
    const s = await renderTab('contacts', {
      ...objectRoutes({ behaviour: { enabled: true, on_create_update: 'create_and_update',
        on_delete: 'mark_inactive', inactive_property: 'hubbooks_qbo_active', direction: 'qbo_to_hubspot',
        on_hubspot_create_update: 'update_linked_only', on_hubspot_delete: 'nothing' } }),
      [`PUT /app/qbo/${R}/sync/contacts/behaviour`]: (call) => syncView('contacts', {
        version: 1, behaviour: { ...call.body } }),
    });
    await s.waitFor(() => s.findByTestId(Toggle, `two-way-contacts-${R}`));
    expect(s.maybeFindByTestId(Select, `on-hubspot-change-contacts-${R}`)).toBeNull(); // one way: nothing to pick
    s.findByTestId(Toggle, `two-way-contacts-${R}`).trigger('onChange', true);
    await s.waitFor(() => s.findByTestId(Select, `on-hubspot-change-contacts-${R}`));
    expect(s.findByTestId(Select, `on-hubspot-change-contacts-${R}`).props.options.map((o) => o.value))
      .toEqual(['update_linked_only', 'create_and_update', 'nothing']);
    s.findByTestId(Select, `on-hubspot-change-contacts-${R}`).trigger('onChange', 'create_and_update');
    s.findByTestId(Select, `on-hubspot-delete-contacts-${R}`).trigger('onChange', 'deactivate');
    s.click(`save-behaviour-contacts-${R}`);
    await s.waitFor(() => s.findByTestId(Text, `behaviour-saved-contacts-${R}`));
    expect(s.backend.callsTo('PUT', `/app/qbo/${R}/sync/contacts/behaviour`)[0].body).toMatchObject({
      enabled: true, direction: 'both', on_hubspot_create_update: 'create_and_update',
      on_hubspot_delete: 'deactivate' });
  });

  it('shows an owner per mapping when two-way is on, and changes it in place', async () => {
    const twoWay = { enabled: true, on_create_update: 'create_and_update', on_delete: 'mark_inactive',
      inactive_property: 'hubbooks_qbo_active', direction: 'both', on_hubspot_create_update: 'update_linked_only',
      on_hubspot_delete: 'nothing' };
    const s = await renderTab('contacts', {
      ...objectRoutes({ behaviour: twoWay }),
      [`PUT /app/qbo/${R}/sync/contacts/mappings/email`]: (call) => mappingRow('email', 'email',
        'PrimaryEmailAddr.Address', { mapping: { ...mappingRow('email', 'email', 'x').mapping, owner: call.body.owner } }),
    });
    await s.waitFor(() => s.findByTestId(Select, `owner-contacts-${R}-email`));
    expect(s.findByTestId(Select, `owner-contacts-${R}-email`).props.value).toBe('quickbooks');
    expect(s.findByTestId(Select, `owner-contacts-${R}-email`).props.options.map((o) => o.label))
      .toEqual(['QuickBooks', 'HubSpot', 'Most recent change wins']);
    s.findByTestId(Select, `owner-contacts-${R}-email`).trigger('onChange', 'hubspot');
    await s.waitFor(() => expect(s.backend.callsTo('PUT', `/app/qbo/${R}/sync/contacts/mappings/email`))
      .toHaveLength(1));
    expect(s.backend.callsTo('PUT', `/app/qbo/${R}/sync/contacts/mappings/email`)[0].body).toMatchObject({
      hubspot_property: 'email', qbo_field: 'PrimaryEmailAddr.Address', owner: 'hubspot' });
  });

  it('shows a refused owner with the reason the API gives', async () => {
    const twoWay = { enabled: true, on_create_update: 'create_and_update', on_delete: 'mark_inactive',
      inactive_property: 'hubbooks_qbo_active', direction: 'both' };
    const s = await renderTab('contacts', {
      ...objectRoutes({ behaviour: twoWay }),
      [`PUT /app/qbo/${R}/sync/contacts/mappings/notes`]: problem(422, 'mapping_rejected',
        'The mapping cannot be saved: QuickBooks calculates Open balance itself; set the owner to quickbooks'),
    });
    await s.waitFor(() => s.findByTestId(Select, `owner-contacts-${R}-notes`));
    s.findByTestId(Select, `owner-contacts-${R}-notes`).trigger('onChange', 'latest');
    await s.waitFor(() => s.findByTestId(Alert, `mappings-error-contacts-${R}`));
    expect(textOf(s.findByTestId(Alert, `mappings-error-contacts-${R}`))).toContain('set the owner to quickbooks');
  });

  it('says why a save was refused (someone else saved first)', async () => {
    const s = await renderTab('contacts', {
      ...objectRoutes(),
      [`PUT /app/qbo/${R}/sync/contacts/behaviour`]: problem(409, 'sync_settings_changed',
        'These settings were changed by someone else since you opened them; reload and try again.'),
    });
    await s.waitFor(() => s.findByTestId(Button, `save-behaviour-contacts-${R}`));
    s.click(`save-behaviour-contacts-${R}`);
    await s.waitFor(() => s.findByTestId(Alert, `behaviour-error-contacts-${R}`));
    expect(textOf(s.findByTestId(Alert, `behaviour-error-contacts-${R}`))).toContain('changed by someone else');
  });

  it('is read-only for users who are not HubBooks admins', async () => {
    const s = await renderTab('contacts', objectRoutes({ can_edit: false }));
    await s.waitFor(() => s.findByTestId(Text, `read-only-contacts-${R}`));
    expect(s.findByTestId(Toggle, `enabled-contacts-${R}`).props.readOnly).toBe(true);
    expect(s.maybeFindByTestId(Button, `save-behaviour-contacts-${R}`)).toBeNull();
    expect(s.maybeFindByTestId(Button, `add-mapping-contacts-${R}`)).toBeNull();
    expect(s.maybeFindByTestId(Button, `dry-run-contacts-${R}`)).toBeNull();
  });

  it('adds a mapping with pickers from both catalogues and shows the 422 that names the problem', async () => {
    let attempts = 0;
    const s = await renderTab('contacts', {
      ...objectRoutes(),
      [`GET /app/qbo/${R}/sync/contacts/catalogue`]: { object: 'contacts',
        hubspot: [{ name: 'jobtitle', label: 'Job title', type: 'string', field_type: 'text', options: [],
          writable: true, reason_not_writable: null },
        { name: 'hs_object_id', label: 'Record ID', type: 'number', field_type: 'number', options: [],
          writable: false, reason_not_writable: 'read-only in HubSpot' }],
        qbo: [{ path: 'Title', label: 'Title', kind: 'text', options: [], calculated: false }] },
      [`POST /app/qbo/${R}/sync/contacts/mappings`]: () => {
        attempts += 1;
        return attempts === 1
          ? problem(422, 'mapping_rejected', 'The mapping cannot be saved: jobtitle is read-only in HubSpot')
          : mappingRow('jobtitle', 'jobtitle', 'Title');
      },
    });
    await s.waitFor(() => s.findByTestId(Button, `add-mapping-contacts-${R}`));
    s.click(`add-mapping-contacts-${R}`);
    await s.waitFor(() => s.findByTestId(Select, `mapping-property-contacts-${R}`));
    expect(s.findByTestId(Select, `mapping-property-contacts-${R}`).props.options)
      .toEqual([{ value: 'jobtitle', label: 'Job title (string)' }]); // read-only properties are not offered
    s.findByTestId(Select, `mapping-property-contacts-${R}`).trigger('onChange', 'jobtitle');
    s.findByTestId(Select, `mapping-field-contacts-${R}`).trigger('onChange', 'Title');
    s.findByTestId(Select, `mapping-case-contacts-${R}`).trigger('onChange', 'title');
    s.click(`mapping-save-contacts-${R}`);
    await s.waitFor(() => s.findByTestId(Alert, `mapping-error-contacts-${R}`));
    expect(textOf(s.findByTestId(Alert, `mapping-error-contacts-${R}`))).toContain('read-only in HubSpot');
    s.click(`mapping-save-contacts-${R}`);
    await s.waitFor(() => expect(s.maybeFindByTestId(Button, `mapping-save-contacts-${R}`)).toBeNull());
    expect(s.backend.callsTo('POST', `/app/qbo/${R}/sync/contacts/mappings`)[1].body).toMatchObject({
      hubspot_property: 'jobtitle', qbo_field: 'Title', transform: { case: 'title' } });
    expect(s.backend.callsTo('GET', `/app/qbo/${R}/sync/contacts`).length).toBe(2); // reloaded after saving
  });

  it('deletes a mapping', async () => {
    const s = await renderTab('contacts', {
      ...objectRoutes(), [`DELETE /app/qbo/${R}/sync/contacts/mappings/notes`]: [],
    });
    await s.waitFor(() => s.findByTestId(Button, `delete-contacts-${R}-notes`));
    s.click(`delete-contacts-${R}-notes`);
    await s.waitFor(() => expect(s.backend.callsTo('DELETE', `/app/qbo/${R}/sync/contacts/mappings/notes`))
      .toHaveLength(1));
  });

  it('runs a dry run and follows its progress to the counts and examples', async () => {
    let polls = 0;
    const s = await renderTab('contacts', {
      ...objectRoutes(),
      [`POST /app/qbo/${R}/sync-backfill`]: backfillRun({ run: { status: 'queued', processed: 0, counts: {},
        examples: {} }, percent: 0 }),
      [`GET /app/qbo/${R}/sync-backfill`]: () => {
        polls += 1;
        return polls < 3 ? problem(404, 'not_found', 'none') : backfillRun();
      },
    });
    await s.waitFor(() => s.findByTestId(Button, `dry-run-contacts-${R}`));
    s.click(`dry-run-contacts-${R}`);
    await s.waitFor(() => expect(s.findByTestId(Text, `backfill-counts-contacts-${R}`)).toBeTruthy());
    expect(s.backend.callsTo('POST', `/app/qbo/${R}/sync-backfill`)[0].body)
      .toEqual({ objects: ['contacts'], dry_run: true });
    await s.waitFor(() => expect(textOf(s.findByTestId(Text, `backfill-counts-contacts-${R}`)))
      .toBe('2 would be created, 1 would be updated (matched or linked)'));
    expect(s.findByTestId(ProgressBar, `backfill-progress-contacts-${R}`).props.value).toBe(100);
    expect(textOf(s.findAll(Text).find((t) => textOf(t).includes('Bill Lucchini')))).toBe('created: Bill Lucchini');
  });

  it('offers cancel while a backfill runs', async () => {
    const running = backfillRun({ run: { dry_run: false, status: 'running', processed: 1 }, percent: 33 });
    const s = await renderTab('contacts', {
      ...objectRoutes(),
      [`GET /app/qbo/${R}/sync-backfill`]: running,
      [`DELETE /app/qbo/${R}/sync-backfill`]: backfillRun({ run: { dry_run: false, status: 'cancelled' },
        percent: 33 }),
    });
    await s.waitFor(() => s.findByTestId(Button, `cancel-backfill-contacts-${R}`));
    expect(s.findByTestId(Button, `start-backfill-contacts-${R}`).props.disabled).toBe(true);
    s.click(`cancel-backfill-contacts-${R}`);
    await s.waitFor(() => expect(s.maybeFindByTestId(Button, `cancel-backfill-contacts-${R}`)).toBeNull());
    expect(s.findByTestId(ProgressBar, `backfill-progress-contacts-${R}`).props.title).toBe('Backfill: cancelled');
  });

  it('asks to connect a company first', async () => {
    const backend = installBackend({ 'GET /oauth/qbo/connections': { portal_id: 123, connections: [] } });
    const renderer = createRenderer('settings');
    renderer.render(<SettingsPage context={renderer.mocks.context} actions={renderer.mocks.actions}
      api={backend.api} />);
    await renderer.waitFor(() => renderer.findByTestId(Tabs, 'settings-tabs'));
    expect(renderer.findByTestId(Tab, 'tab-contacts').find(Alert, { testId: 'contacts-tab-empty' })).toBeTruthy();
    expect(renderer.findByTestId(Tab, 'tab-products').find(Alert, { testId: 'products-tab-empty' })).toBeTruthy();
  });
});

describe('Products tab', () => {
  it('shows the products sync with its own toggle', async () => {
    const s = await renderTab('products', {
      [`GET /app/qbo/${R}/sync/products`]: syncView('products', { mappings: [mappingRow('sku', 'hs_sku', 'Sku')] }),
    });
    await s.waitFor(() => s.findByTestId(Toggle, `enabled-products-${R}`));
    expect(s.findByTestId(Toggle, `enabled-products-${R}`).props.label)
      .toBe('Sync QuickBooks products and services to HubSpot products');
    expect(s.findByTestId(TableRow, `mapping-products-${R}-sku`)).toBeTruthy();
  });

  const twoWayProducts = (behaviour = {}, overrides = {}) => syncView('products', { mappings: [], behaviour: {
    enabled: true, on_create_update: 'create_and_update', on_delete: 'archive', inactive_property: null,
    direction: 'both', on_hubspot_create_update: 'update_linked_only', on_hubspot_delete: 'nothing',
    item_income_account: null, item_expense_account: null, ...behaviour }, ...overrides });
  const accounts = {
    income: [{ id: '1', name: 'Services', account_type: 'Income' },
      { id: '79', name: 'Sales of Product Income', account_type: 'Income' }],
    expense: [{ id: '60', name: 'Office Expenses', account_type: 'Expense' },
      { id: '80', name: 'Cost of Goods Sold', account_type: 'Cost of Goods Sold' }],
  };

  it('offers to create QuickBooks items on the income and expense accounts picked from QuickBooks', async () => {
    const s = await renderTab('products', {
      [`GET /app/qbo/${R}/sync/products`]: twoWayProducts(),
      [`GET /app/qbo/${R}/item-accounts`]: accounts,
      [`PUT /app/qbo/${R}/sync/products/behaviour`]: (call) => twoWayProducts({
        on_hubspot_create_update: call.body.on_hubspot_create_update,
        item_income_account: { id: call.body.income_account_id, name: 'Sales of Product Income' },
        item_expense_account: { id: call.body.expense_account_id, name: 'Cost of Goods Sold' } }, { version: 1 }),
    });
    await s.waitFor(() => s.findByTestId(Select, `income-account-products-${R}`));
    const change = s.findByTestId(Select, `on-hubspot-change-products-${R}`);
    expect(change.props.options.map((o) => o.value)).toEqual(['update_linked_only', 'create_and_update', 'nothing']);
    expect(change.props.options[1].label).toBe('Create a QuickBooks item and update linked ones');
    expect(s.findByTestId(Select, `income-account-products-${R}`).props.options.map((o) => o.label))
      .toEqual(['Services (Income)', 'Sales of Product Income (Income)']);
    expect(s.findByTestId(Select, `expense-account-products-${R}`).props.options.map((o) => o.value))
      .toEqual(['', '60', '80']);
    change.trigger('onChange', 'create_and_update');
    s.findByTestId(Select, `income-account-products-${R}`).trigger('onChange', '79');
    s.findByTestId(Select, `expense-account-products-${R}`).trigger('onChange', '80');
    s.click(`save-behaviour-products-${R}`);
    await s.waitFor(() => s.findByTestId(Text, `behaviour-saved-products-${R}`));
    expect(s.backend.callsTo('PUT', `/app/qbo/${R}/sync/products/behaviour`)[0].body).toMatchObject({
      direction: 'both', on_hubspot_create_update: 'create_and_update', income_account_id: '79',
      expense_account_id: '80' });
    expect(s.findByTestId(Select, `income-account-products-${R}`).props.value).toBe('79');
    // Clearing the expense account sends null.
    s.findByTestId(Select, `expense-account-products-${R}`).trigger('onChange', '');
    s.click(`save-behaviour-products-${R}`);
    await s.waitFor(() => expect(s.backend.callsTo('PUT', `/app/qbo/${R}/sync/products/behaviour`)).toHaveLength(2));
    expect(s.backend.callsTo('PUT', `/app/qbo/${R}/sync/products/behaviour`)[1].body.expense_account_id).toBeNull();
  });

  it('shows the refusal when creation is turned on without an income account', async () => {
    const s = await renderTab('products', {
      [`GET /app/qbo/${R}/sync/products`]: twoWayProducts(),
      [`GET /app/qbo/${R}/item-accounts`]: accounts,
      [`PUT /app/qbo/${R}/sync/products/behaviour`]: problem(422, 'sync_settings_rejected', 'To create QuickBooks '
        + 'items from HubSpot products, choose the income account they post sales to'),
    });
    await s.waitFor(() => s.findByTestId(Select, `income-account-products-${R}`));
    s.findByTestId(Select, `on-hubspot-change-products-${R}`).trigger('onChange', 'create_and_update');
    expect(s.findByTestId(Select, `income-account-products-${R}`).props.required).toBe(true);
    s.click(`save-behaviour-products-${R}`);
    await s.waitFor(() => s.findByTestId(Alert, `behaviour-error-products-${R}`));
    expect(s.backend.callsTo('PUT', `/app/qbo/${R}/sync/products/behaviour`)[0].body.income_account_id).toBeNull();
    expect(textOf(s.findByTestId(Alert, `behaviour-error-products-${R}`))).toContain('choose the income account');
  });

  it('shows the saved accounts to users who cannot edit, without reading the chart of accounts', async () => {
    const s = await renderTab('products', {
      [`GET /app/qbo/${R}/sync/products`]: twoWayProducts({ on_hubspot_create_update: 'create_and_update',
        item_income_account: { id: '79', name: 'Sales of Product Income' } }, { can_edit: false }),
    });
    await s.waitFor(() => s.findByTestId(Text, `item-accounts-products-${R}`));
    expect(textOf(s.findByTestId(Text, `item-accounts-products-${R}`)))
      .toBe('New QuickBooks items post sales to Sales of Product Income.');
    expect(s.backend.callsTo('GET', `/app/qbo/${R}/item-accounts`)).toHaveLength(0);
  });

  it('warns when QuickBooks cannot list its accounts', async () => {
    const s = await renderTab('products', {
      [`GET /app/qbo/${R}/sync/products`]: twoWayProducts(),
      [`GET /app/qbo/${R}/item-accounts`]: problem(503, 'qbo_unavailable', 'QuickBooks did not answer; try again.'),
    });
    await s.waitFor(() => s.findByTestId(Alert, `item-accounts-error-products-${R}`));
    expect(textOf(s.findByTestId(Alert, `item-accounts-error-products-${R}`))).toContain('try again');
  });
});

describe('Sync health tab', () => {
  const health = (overrides = {}) => ({
    realm_id: R, backfill: null, healthy: false, entities: [], dead_letters: [], last_reconciliation: null,
    summary: ['1 record(s) could not sync; each is listed below with the reason. Fix the cause, then retry them.'],
    last_runs: [{ job: 'reconcile', finished_at: '2026-11-30T09:00:00Z', outcome: 'Customer: 2 checked' }],
    objects: [
      { object: 'contacts', enabled: true, decisions: [], failing: [{ portal_id: 123, realm_id: R, object: 'contacts',
        qbo_id: '1', label: "Amy's Bird Sanctuary", reason: "HubSpot refused it: 'not a stage' is not an option",
        failed_at: '2026-11-30T09:00:00Z', attempts: 2 }] },
      { object: 'companies', enabled: false, decisions: [], failing: [] },
      { object: 'products', enabled: true, failing: [], decisions: [{ portal_id: 123, realm_id: R, object: 'products',
        qbo_id: '2', qbo_label: 'Hours', matched_on: 'name', found_at: '2026-11-30T09:00:00Z',
        candidates: [{ hubspot_id: '11', label: 'Hours' }, { hubspot_id: '12', label: 'hours' }] }] },
    ],
    ...overrides,
  });

  it('lists failing records with the reason and retries one', async () => {
    const s = await renderTab('sync-health', {
      [`GET /app/qbo/${R}/sync-health`]: health(),
      [`POST /app/qbo/${R}/sync-health/retry`]: { retried: 1, outcome: 'contacts: 1 updated', still_failing: [] },
    });
    await s.waitFor(() => s.findByTestId(TableRow, 'failure-contacts-1'));
    expect(textOf(s.findByTestId(TableRow, 'failure-contacts-1'))).toContain("'not a stage' is not an option");
    expect(textOf(s.findByTestId(Text, `last-run-reconcile-${R}`))).toContain('Customer: 2 checked');
    s.click('retry-contacts-1');
    await s.waitFor(() => s.findByTestId(Alert, `health-notice-${R}`));
    expect(s.backend.callsTo('POST', `/app/qbo/${R}/sync-health/retry`)[0].body)
      .toEqual({ object: 'contacts', qbo_id: '1' });
    expect(textOf(s.findByTestId(Alert, `health-notice-${R}`))).toBe('Retried: everything synced.');
  });

  it('retries all and resolves an ambiguous match with the chosen record', async () => {
    const s = await renderTab('sync-health', {
      [`GET /app/qbo/${R}/sync-health`]: health(),
      [`POST /app/qbo/${R}/sync-health/retry`]: { retried: 1, outcome: '', still_failing: [{ qbo_id: '1' }] },
      [`POST /app/qbo/${R}/sync/products/decisions/2`]: { retried: 1, outcome: 'products: 1 updated',
        still_failing: [] },
    });
    await s.waitFor(() => s.findByTestId(Button, `retry-all-contacts-${R}`));
    s.click(`retry-all-contacts-${R}`);
    await s.waitFor(() => s.findByTestId(Alert, `health-notice-${R}`));
    expect(s.backend.callsTo('POST', `/app/qbo/${R}/sync-health/retry`)[0].body).toEqual({ object: 'contacts' });
    expect(textOf(s.findByTestId(Alert, `health-notice-${R}`))).toBe('Retried 1; 1 still failing.');
    expect(textOf(s.findByTestId(Button, 'choose-2-12'))).toBe('hours (#12)');
    s.click('choose-2-12');
    await s.waitFor(() => expect(s.backend.callsTo('POST', `/app/qbo/${R}/sync/products/decisions/2`))
      .toHaveLength(1));
    expect(s.backend.callsTo('POST', `/app/qbo/${R}/sync/products/decisions/2`)[0].body).toEqual({ hubspot_id: '12' });
  });

  it('resolves an ambiguous match by creating a new record instead, and shows a refusal plainly', async () => {
    let answer = problem(409, 'new_record_refused', 'No new HubSpot product was created: only linked records are '
      + 'updated. Change that (or pick one of the records found) and try again.');
    const s = await renderTab('sync-health', {
      [`GET /app/qbo/${R}/sync-health`]: health(),
      [`POST /app/qbo/${R}/sync/products/decisions/2/new-record`]: () => answer,
    });
    await s.waitFor(() => s.findByTestId(Button, 'create-new-products-2'));
    s.click('create-new-products-2');
    await s.waitFor(() => s.findByTestId(Alert, `health-notice-${R}`));
    expect(textOf(s.findByTestId(Alert, `health-notice-${R}`))).toContain('only linked records are updated');
    answer = { retried: 1, outcome: 'products: new HubSpot record 13 linked', still_failing: [] };
    s.click('create-new-products-2');
    await s.waitFor(() => expect(textOf(s.findByTestId(Alert, `health-notice-${R}`)))
      .toContain('A new HubSpot record was created for Hours'));
    const calls = s.backend.callsTo('POST', `/app/qbo/${R}/sync/products/decisions/2/new-record`);
    expect(calls).toHaveLength(2);
    expect(s.backend.callsTo('POST', `/app/qbo/${R}/sync/products/decisions/2`)).toHaveLength(0);
  });

  it('shows a new HubSpot product matching several QuickBooks items as a choice between the items', async () => {
    const s = await renderTab('sync-health', {
      [`GET /app/qbo/${R}/sync-health`]: health({ objects: [{ object: 'products', enabled: true, failing: [],
        decisions: [{ portal_id: 123, realm_id: R, object: 'products', qbo_id: 'hs-31', qbo_label: 'HubSpot product Twin',
          matched_on: 'sku TW', found_at: '2026-11-30T09:00:00Z',
          candidates: [{ hubspot_id: '7', label: 'QuickBooks item Twin 1 (SKU TW)' },
            { hubspot_id: '8', label: 'QuickBooks item Twin 2 (SKU TW)' }] }] }] }),
      [`POST /app/qbo/${R}/sync/products/decisions/hs-31/new-record`]: { retried: 1,
        outcome: '1 created in QuickBooks', still_failing: [] },
    });
    await s.waitFor(() => s.findByTestId(Flex, 'decision-products-hs-31'));
    expect(textOf(s.findByTestId(Flex, 'decision-products-hs-31')))
      .toContain('HubSpot product Twin matches 2 QuickBooks records by sku TW');
    s.click('create-new-products-hs-31');
    await s.waitFor(() => expect(textOf(s.findByTestId(Alert, `health-notice-${R}`)))
      .toContain('A new QuickBooks record was created for HubSpot product Twin'));
  });

  it('says so when everything synced', async () => {
    const s = await renderTab('sync-health', { [`GET /app/qbo/${R}/sync-health`]: health({
      healthy: true, summary: ["Everything QuickBooks reported has reached HubSpot; nothing is waiting."],
      objects: [{ object: 'contacts', enabled: true, failing: [], decisions: [] }] }) });
    await s.waitFor(() => s.findByTestId(Text, `no-failures-${R}`));
    const summary = s.findByTestId(Alert, `health-summary-${R}`);
    expect(summary.props.variant).toBe('success');
    expect(textOf(summary)).toContain('nothing is waiting');
  });

  it('warns in plain words about dead-lettered work and failing records', async () => {
    const s = await renderTab('sync-health', { [`GET /app/qbo/${R}/sync-health`]: health({
      summary: ['2 change notification(s) from QuickBooks or HubSpot could not be applied after 5 attempts. The '
        + 'hourly reconciliation applies what they carried from QuickBooks\' own change log, so nothing is lost.',
      '1 record(s) could not sync; each is listed below with the reason. Fix the cause, then retry them.'] }) });
    await s.waitFor(() => s.findByTestId(Alert, `health-summary-${R}`));
    const summary = s.findByTestId(Alert, `health-summary-${R}`);
    expect(summary.props.variant).toBe('warning');
    expect(summary.props.title).toBe('Needs attention');
    expect(textOf(summary)).toContain('could not be applied after 5 attempts');
    expect(textOf(summary)).toContain('1 record(s) could not sync');
  });
});
