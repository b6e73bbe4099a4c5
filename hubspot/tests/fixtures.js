// Response bodies shaped like layers/shared/hubbooks/models/invoicing_api.py and qbo_connect_api.py.

export const US = { realm_id: '9130001', company_name: 'Acme US', country: 'US', home_currency: 'USD',
  can_create_invoices: true, blocked_reason: null };
export const UK = { realm_id: '9130002', company_name: 'Acme UK Ltd', country: 'GB', home_currency: 'GBP',
  can_create_invoices: true, blocked_reason: null };

export function invoice(overrides = {}) {
  return {
    realm_id: US.realm_id, company_name: US.company_name, invoice_id: '101', number: '1001', customer: 'Globex Corp',
    invoice_date: '2026-09-01', due_date: '2026-10-01', amount: '1200.00', balance: '1200.00', currency: 'USD',
    status: 'sent', status_label: 'Sent to customer', qbo_url: 'https://app.qbo.intuit.com/app/invoice?txnId=101',
    home_currency: null, home_amount: null, home_balance: null, writes_deal_properties: true,
    ...overrides,
  };
}

export function summary(overrides = {}) {
  return { currency: 'USD', invoiced: '0', paid: '0', outstanding: '0', overdue: '0', invoice_count: 0,
    overdue_count: 0, other_currency_count: 0, ...overrides };
}

export function cardData(overrides = {}) {
  return {
    object_type: 'deal', object_id: '123', hubspot_currency: 'USD', summary: summary(), invoices: [],
    unavailable_invoices: [],
    companies: [US],
    next_actions: [
      { action: 'create_invoice', label: 'Create invoice', enabled: true, reason: null },
      { action: 'link_existing_invoice', label: 'Add existing invoice', enabled: true, reason: null },
    ],
    ...overrides,
  };
}

export const QUOTE = {
  quote_id: '501', title: 'Q-2026 Website rebuild', status: 'APPROVED', expiration_date: '2026-12-31', currency: 'USD',
  usable: true, reason: null,
  line_items: [{ line_item_id: '7001', name: 'Design', sku: 'DES', quantity: '10', price: '100' }],
};

export function wizardStart(overrides = {}) {
  return { deal_id: '123', deal_name: 'Website rebuild', companies: [US], selected_realm_id: US.realm_id,
    quotes: [QUOTE], ...overrides };
}

export function invoiceOptions(company, overrides = {}) {
  const nonUs = company.country !== 'US';
  return {
    realm_id: company.realm_id, country: company.country, home_currency: company.home_currency,
    tax_required: nonUs, tax_label: nonUs ? 'VAT' : 'Sales tax',
    tax_codes: nonUs ? [{ tax_code_id: '2', name: '20.0% S', percent: '20' }, { tax_code_id: '4', name: 'No VAT', percent: '0' }] : [],
    terms: [{ term_id: '3', name: 'Net 30', due_days: 30 }, { term_id: '1', name: 'Due on receipt', due_days: 0 }],
    default_term_id: '3', today: '2026-09-15', can_create_invoices: true, blocked_reason: null,
    assigns_doc_numbers: false,
    ...overrides,
  };
}

export const CUSTOMER = { customer_id: '58', display_name: 'Globex Corp', company_name: 'Globex Corp',
  email: 'ap@globex.example', currency: 'USD' };

export function suggestions() {
  return {
    suggestions: [
      { ...CUSTOMER, score: 95, reason: 'Same email as the deal contact' },
      { customer_id: '59', display_name: 'Globex Holdings', score: 60, reason: 'Similar company name' },
    ],
    new_customer: { display_name: 'Globex Corp', company_name: 'Globex Corp', email: 'ap@globex.example',
      submission_id: 'ignored-by-ui' },
  };
}

export const ITEM = { item_id: '12', name: 'Consulting hour', sku: 'CONS', description: 'Senior consulting',
  unit_price: '150', type: 'Service', default_tax_code_id: null };

export function review(overrides = {}) {
  return {
    realm_id: US.realm_id, customer: CUSTOMER,
    lines: [{ item_id: '30', item_name: 'Design', description: 'Design work', quantity: '10', rate: '100',
      amount: '1000.00', tax_code_id: null }],
    invoice_date: '2026-09-15', due_date: '2026-10-15', term_id: '3', term_name: 'Net 30', customer_message: null,
    currency: 'USD', subtotal: '1234.50', tax: null, tax_lines: [], total: '1234.50',
    tax_note: 'QuickBooks adds sales tax when it saves the invoice.', doc_number_note: null,
    ...overrides,
  };
}

export function createdInvoice() {
  return {
    invoice: invoice({ invoice_id: '205', number: '1042', amount: '1234.50', balance: '1234.50',
      status: 'waiting_to_be_sent', status_label: 'Waiting to be sent',
      qbo_url: 'https://app.qbo.intuit.com/app/invoice?txnId=205' }),
    linked_to: { object_type: 'deal', object_id: '123' }, deal_properties_updated: true, warnings: [],
  };
}

export function connection(overrides = {}) {
  return {
    realm_id: US.realm_id, company_name: US.company_name, country: 'US', home_currency: 'USD', multicurrency: false,
    custom_txn_numbers: false, is_sandbox: false, status: 'connected', connected_at: '2026-08-01T10:00:00Z',
    disconnected_at: null, needs_reconnect_since: null,
    ...overrides,
  };
}

// Sync settings bodies, shaped like layers/shared/hubbooks/models/sync_api.py.
export function mappingRow(id, hubspotProperty, qboField, overrides = {}) {
  return {
    mapping: { id, hubspot_property: hubspotProperty, qbo_field: qboField, enabled: true, is_default: true,
      transform: { trim: true, case: 'keep', decimals: null, true_value: null, false_value: null, value_map: {} } },
    valid: true, problems: [],
    stats: { records_synced: 0, last_success_at: null, last_failure_at: null, last_failure_reason: null },
    ...overrides,
  };
}

export function syncView(syncObject, overrides = {}) {
  return {
    realm_id: US.realm_id, object: syncObject, qbo_entity: syncObject === 'products' ? 'Item' : 'Customer',
    behaviour: { enabled: false, on_create_update: 'create_and_update', on_delete: 'mark_inactive',
      inactive_property: 'hubbooks_qbo_active' },
    version: 0, updated_at: null, can_edit: true,
    mappings: [mappingRow('email', 'email', 'PrimaryEmailAddr.Address',
      { stats: { records_synced: 12, last_success_at: '2026-11-30T09:00:00Z', last_failure_at: null,
        last_failure_reason: null } }),
    mappingRow('notes', 'hubbooks_qbo_notes', 'Notes', { valid: false, problems: [{ code: 'property_missing',
      field: 'hubspot_property', message: "HubSpot has no contacts property named 'hubbooks_qbo_notes'" }] })],
    ...overrides,
  };
}

export function backfillRun(overrides = {}) {
  return {
    run: { run_id: 'r1', portal_id: 123, realm_id: US.realm_id, objects: ['contacts'], dry_run: true,
      status: 'done', entities: ['Customer'], entity_index: 1, next_start: 1, totals: { Customer: 3 }, unmatched: [],
      processed: 3, pages_done: 1, counts: { created: 2, updated: 1, skipped: 0, needs_decision: 0, failed: 0 },
      examples: { created: [{ object: 'contacts', qbo_id: '2', label: 'Bill Lucchini', detail: '' }] },
      error: null, started_at: '2026-11-30T09:00:00Z', updated_at: '2026-11-30T09:00:01Z', finished_at: null,
      started_by_user_id: 7, version: 2, ...(overrides.run ?? {}) },
    percent: overrides.percent ?? 100,
  };
}
