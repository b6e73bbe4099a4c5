// The HubBooks API client: every backend call the cards and the settings page make (shared package).
//
// Built on hubspot.fetch, passed in so tests can swap the transport: HubSpot signs each call
// (X-HubSpot-Signature-v3) and appends portalId/userId/userEmail/appId, so the UI never sends identity itself.
// Bodies are plain objects; hubspot.fetch sends them as JSON.
// Errors become ApiError with the backend's {"error", "message", "details": {"fields": [...]}} shape.

import { API_BASE_URL, REQUEST_TIMEOUT_MS } from './config.js';

export class ApiError extends Error {
  constructor({ status, code, message, fields = [] }) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

const FALLBACK_MESSAGES = {
  0: 'HubBooks could not be reached. Check your connection and try again.',
  401: 'HubSpot could not confirm this request to HubBooks. Reload the page and try again.',
  403: 'You do not have access to this in HubBooks.',
  404: 'HubBooks could not find what you asked for. It may have been removed.',
  409: 'Something changed in the meantime. Refresh and try again.',
  422: 'Please check the highlighted fields and try again.',
  429: 'Too many requests at once. Wait a moment and try again.',
};
const SERVER_MESSAGE = 'HubBooks had a problem answering. Please try again in a minute.';

function fallbackMessage(status) {
  return FALLBACK_MESSAGES[status] ?? (status >= 500 ? SERVER_MESSAGE : `HubBooks answered with an error (${status}).`);
}

export function buildUrl(baseUrl, path, query) {
  const url = `${baseUrl.replace(/\/+$/, '')}${path}`;
  const params = Object.entries(query ?? {})
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return params.length ? `${url}?${params.join('&')}` : url;
}

const seg = (value) => encodeURIComponent(String(value));

async function readJson(response) {
  let text;
  try {
    text = await response.text();
  } catch {
    return null;
  }
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A fresh id for one submission (an invoice or a new customer); retries of the same submission reuse it. */
export function newSubmissionId() {
  const cryptoApi = globalThis.crypto;
  if (cryptoApi && typeof cryptoApi.randomUUID === 'function') return cryptoApi.randomUUID();
  const random = () => Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  return `sub-${Date.now().toString(36)}-${random()}${random()}`;
}

export function createApi(fetchImpl, { baseUrl = API_BASE_URL, timeout = REQUEST_TIMEOUT_MS } = {}) {
  async function request(method, path, { query, body } = {}) {
    const options = { method, timeout };
    if (body !== undefined) options.body = body;
    let response;
    try {
      response = await fetchImpl(buildUrl(baseUrl, path, query), options);
    } catch (error) {
      throw new ApiError({ status: 0, code: 'network_error', message: FALLBACK_MESSAGES[0] });
    }
    const payload = await readJson(response);
    if (!response.ok) {
      const fields = Array.isArray(payload?.details?.fields) ? payload.details.fields : [];
      throw new ApiError({
        status: response.status,
        code: payload?.error ?? 'http_error',
        message: typeof payload?.message === 'string' && payload.message ? payload.message
          : fallbackMessage(response.status),
        fields,
      });
    }
    return payload;
  }

  return {
    // ---- card
    appContext: () => request('GET', '/app/context'),
    cardData: (objectType, objectId) => request('GET', `/app/cards/${seg(objectType)}/${seg(objectId)}`),

    // ---- existing invoices
    searchInvoices: (realmId, { number, customerId, from, to, limit } = {}) =>
      request('GET', `/app/qbo/${seg(realmId)}/invoices`, { query: { number, customerId, from, to, limit } }),
    linkInvoices: ({ realmId, invoiceIds, objectType, objectId }) =>
      request('POST', '/app/invoice-links', {
        body: { realm_id: realmId, invoice_ids: invoiceIds, object_type: objectType, object_id: String(objectId) },
      }),
    unlinkInvoice: ({ objectType, objectId, realmId, invoiceId }) =>
      request('DELETE', `/app/invoice-links/${seg(objectType)}/${seg(objectId)}/${seg(realmId)}/${seg(invoiceId)}`),
    // ASSUMPTION (not in the API yet): a short-lived, single-use URL the iframe modal can open without a
    // HubSpot signature, like the connect link. The signed PDF route itself cannot be shown in an iframe.
    invoicePreviewLink: (realmId, invoiceId) =>
      request('POST', `/app/qbo/${seg(realmId)}/invoices/${seg(invoiceId)}/preview-link`),
    invoicePdfPath: (realmId, invoiceId) => `/app/qbo/${seg(realmId)}/invoices/${seg(invoiceId)}/pdf`,
    /** E-mail it through QuickBooks; `sendId` is made once per click so a retry sends nothing more. */
    sendInvoice: (realmId, invoiceId, { to, sendId }) =>
      request('POST', `/app/qbo/${seg(realmId)}/invoices/${seg(invoiceId)}/send`,
        { body: to ? { send_id: sendId, to } : { send_id: sendId } }),
    voidInvoice: (realmId, invoiceId) =>
      request('POST', `/app/qbo/${seg(realmId)}/invoices/${seg(invoiceId)}/void`, { body: { confirm: true } }),

    // ---- create-invoice wizard
    wizardStart: (dealId) => request('GET', `/app/deals/${seg(dealId)}/invoice-wizard`),
    quoteLines: (dealId, quoteId, realmId) =>
      request('GET', `/app/deals/${seg(dealId)}/quotes/${seg(quoteId)}/invoice-lines`, { query: { realmId } }),
    customerSuggestions: (realmId, { dealId, quoteId }) =>
      request('GET', `/app/qbo/${seg(realmId)}/customer-suggestions`, { query: { dealId, quoteId } }),
    searchCustomers: (realmId, search) =>
      request('GET', `/app/qbo/${seg(realmId)}/customers`, { query: { search } }),
    createCustomer: (realmId, body) => request('POST', `/app/qbo/${seg(realmId)}/customers`, { body }),
    searchItems: (realmId, search) => request('GET', `/app/qbo/${seg(realmId)}/items`, { query: { search } }),
    invoiceOptions: (realmId) => request('GET', `/app/qbo/${seg(realmId)}/invoice-options`),
    reviewInvoice: (dealId, draft) => request('POST', `/app/deals/${seg(dealId)}/invoice-review`, { body: draft }),
    createInvoice: (dealId, submission) =>
      request('POST', `/app/deals/${seg(dealId)}/invoices`, { body: submission }),

    // ---- approval before QuickBooks
    approvalSettings: (realmId) => request('GET', `/app/qbo/${seg(realmId)}/approval-settings`),
    saveApprovalSettings: (realmId, settings) =>
      request('PUT', `/app/qbo/${seg(realmId)}/approval-settings`, { body: settings }),
    approvalRequests: (dealId) => request('GET', `/app/deals/${seg(dealId)}/approval-requests`),
    /** Instead of createInvoice when the company needs approval; the submission id names the request. */
    submitForApproval: (dealId, submission) =>
      request('POST', `/app/deals/${seg(dealId)}/approval-requests`, { body: submission }),
    approveRequest: (dealId, requestId, { version, edits }) =>
      request('POST', `/app/deals/${seg(dealId)}/approval-requests/${seg(requestId)}/approve`,
        { body: { version, edits: edits ?? {} } }),
    rejectRequest: (dealId, requestId, { version, reason }) =>
      request('POST', `/app/deals/${seg(dealId)}/approval-requests/${seg(requestId)}/reject`,
        { body: { version, reason } }),
    /** The requester (or an admin) takes back a request nobody has decided; 409 once decided. */
    withdrawRequest: (dealId, requestId, { version, reason }) =>
      request('POST', `/app/deals/${seg(dealId)}/approval-requests/${seg(requestId)}/withdraw`,
        { body: { version, reason: reason || null } }),

    // ---- settings
    connections: () => request('GET', '/oauth/qbo/connections'),
    connectLink: () => request('POST', '/oauth/qbo/connect-link'),
    disconnect: (realmId) => request('DELETE', `/oauth/qbo/connections/${seg(realmId)}`),
    admins: () => request('GET', '/app/admins'),
    addAdmin: (userId) => request('POST', '/app/admins', { body: { user_id: userId } }),
    removeAdmin: (userId) => request('DELETE', `/app/admins/${seg(userId)}`),
    uninstall: (qboCompanies) => request('DELETE', '/oauth/hubspot/install', { query: { qboCompanies } }),
    invoicingSettings: (realmId) => request('GET', `/app/qbo/${seg(realmId)}/invoicing-settings`),
    reminderSettings: (realmId) => request('GET', `/app/qbo/${seg(realmId)}/reminder-settings`),
    saveReminderSettings: (realmId, settings) =>
      request('PUT', `/app/qbo/${seg(realmId)}/reminder-settings`, { body: settings }),
    autolinkSettings: (realmId) => request('GET', `/app/qbo/${seg(realmId)}/autolink-settings`),
    saveAutolinkSettings: (realmId, { enabled }) =>
      request('PUT', `/app/qbo/${seg(realmId)}/autolink-settings`, { body: { enabled } }),
    startInvoiceBackfill: (realmId, { from, to, dryRun }) =>
      request('POST', `/app/qbo/${seg(realmId)}/autolink-backfill`,
        { body: { date_from: from, date_to: to, dry_run: dryRun } }),
    invoiceBackfill: (realmId) => request('GET', `/app/qbo/${seg(realmId)}/autolink-backfill`),
    cancelInvoiceBackfill: (realmId) => request('DELETE', `/app/qbo/${seg(realmId)}/autolink-backfill`),
    financeRoles: () => request('GET', '/app/finance-roles'),
    hubspotOwners: () => request('GET', '/app/hubspot-owners'),
    saveFinanceRoles: (roles) => request('PUT', '/app/finance-roles', { body: roles }),
    saveInvoicingSettings: (realmId, { assignDocNumbers, docNumberPrefix }) =>
      request('PUT', `/app/qbo/${seg(realmId)}/invoicing-settings`, {
        body: { assign_doc_numbers: assignDocNumbers, doc_number_prefix: docNumberPrefix },
      }),

    // ---- sync (QuickBooks customers and items into HubSpot contacts, companies and products)
    syncObject: (realmId, syncObject) => request('GET', `/app/qbo/${seg(realmId)}/sync/${seg(syncObject)}`),
    saveSyncBehaviour: (realmId, syncObject, behaviour) =>
      request('PUT', `/app/qbo/${seg(realmId)}/sync/${seg(syncObject)}/behaviour`, { body: behaviour }),
    itemAccounts: (realmId) => request('GET', `/app/qbo/${seg(realmId)}/item-accounts`),
    syncCatalogue: (realmId, syncObject) =>
      request('GET', `/app/qbo/${seg(realmId)}/sync/${seg(syncObject)}/catalogue`),
    addMapping: (realmId, syncObject, mapping) =>
      request('POST', `/app/qbo/${seg(realmId)}/sync/${seg(syncObject)}/mappings`, { body: mapping }),
    updateMapping: (realmId, syncObject, mappingId, mapping) =>
      request('PUT', `/app/qbo/${seg(realmId)}/sync/${seg(syncObject)}/mappings/${seg(mappingId)}`,
        { body: mapping }),
    deleteMapping: (realmId, syncObject, mappingId) =>
      request('DELETE', `/app/qbo/${seg(realmId)}/sync/${seg(syncObject)}/mappings/${seg(mappingId)}`),
    startBackfill: (realmId, { objects, dryRun }) =>
      request('POST', `/app/qbo/${seg(realmId)}/sync-backfill`, { body: { objects, dry_run: dryRun } }),
    backfillProgress: (realmId) => request('GET', `/app/qbo/${seg(realmId)}/sync-backfill`),
    cancelBackfill: (realmId) => request('DELETE', `/app/qbo/${seg(realmId)}/sync-backfill`),
    syncHealth: (realmId) => request('GET', `/app/qbo/${seg(realmId)}/sync-health`),
    retrySync: (realmId, syncObject, qboId) =>
      request('POST', `/app/qbo/${seg(realmId)}/sync-health/retry`,
        { body: qboId ? { object: syncObject, qbo_id: qboId } : { object: syncObject } }),
    resolveMatch: (realmId, syncObject, qboId, hubspotId) =>
      request('POST', `/app/qbo/${seg(realmId)}/sync/${seg(syncObject)}/decisions/${seg(qboId)}`,
        { body: { hubspot_id: hubspotId } }),
    /** None of the candidates: a new HubSpot record is created and linked, so later changes go to it. */
    resolveWithNewRecord: (realmId, syncObject, qboId) =>
      request('POST', `/app/qbo/${seg(realmId)}/sync/${seg(syncObject)}/decisions/${seg(qboId)}/new-record`),
  };
}

/** "Please fix: a; b" style text for an error, including field problems the message does not already list. */
export function describeError(error) {
  if (!error) return '';
  const message = error.message || SERVER_MESSAGE;
  const fields = Array.isArray(error.fields) ? error.fields : [];
  const missing = fields.map((f) => f.message).filter((m) => m && !message.includes(m));
  return missing.length ? `${message} ${missing.join(' ')}` : message;
}
