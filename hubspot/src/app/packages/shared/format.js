// Display helpers shared by the card, the wizard and the settings page.

export const DEFAULT_LOCALE = 'en-US';

export function toNumber(value) {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/** Amounts arrive as decimal strings (or numbers); show them with their currency. */
export function formatMoney(value, currency, locale = DEFAULT_LOCALE) {
  const number = toNumber(value);
  if (number === null) return '—';
  if (!currency) return number.toFixed(2);
  try {
    return new Intl.NumberFormat(locale || DEFAULT_LOCALE, { style: 'currency', currency }).format(number);
  } catch {
    return `${currency} ${number.toFixed(2)}`;
  }
}

export function formatDate(isoDate) {
  return isoDate ? String(isoDate).slice(0, 10) : '—';
}

/** QuickBooks invoice status -> StatusTag variant. */
export const STATUS_VARIANTS = {
  waiting_to_be_sent: 'default',
  sent: 'info',
  partially_paid: 'warning',
  paid: 'success',
  overdue: 'danger',
  voided: 'default',
};

export function statusVariant(status) {
  return STATUS_VARIANTS[status] ?? 'default';
}

/** HubSpot object type ids (context.crm.objectTypeId) -> the API's object types. */
const OBJECT_TYPES = { '0-1': 'contact', '0-2': 'company', '0-3': 'deal' };
const OBJECT_NAMES = { contact: 'contact', company: 'company', deal: 'deal' };

export function objectTypeOf(objectTypeId) {
  return OBJECT_TYPES[String(objectTypeId)] ?? null;
}

export function objectName(objectType) {
  return OBJECT_NAMES[objectType] ?? 'record';
}

/** "2026-03-05" <-> DateInput's { year, month (0-based), date }. */
export function isoToDateValue(iso) {
  if (!iso) return undefined;
  const [year, month, date] = String(iso).slice(0, 10).split('-').map(Number);
  if (!year || !month || !date) return undefined;
  return { year, month: month - 1, date };
}

export function dateValueToIso(value) {
  if (!value || value.year === undefined) return null;
  const pad = (n) => String(n).padStart(2, '0');
  return `${value.year}-${pad(value.month + 1)}-${pad(value.date)}`;
}

export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

/** Where an admin connects QuickBooks: HubSpot's Connected apps page, from which HubBooks' settings open. */
export function connectedAppsUrl(portalId) {
  return `https://app.hubspot.com/connected-apps/${encodeURIComponent(String(portalId ?? ''))}/installed`;
}

/** Users who may change app settings in the HubSpot account (context.user.permissions). */
export function canManageApps(user) {
  return Array.isArray(user?.permissions) && user.permissions.includes('integrations-management-write');
}

/** By due date, earliest first; invoices without one last; ties by number. */
export function byDueDate(a, b) {
  const left = a.due_date || '9999-12-31';
  const right = b.due_date || '9999-12-31';
  if (left !== right) return left < right ? -1 : 1;
  return String(a.number ?? a.invoice_id).localeCompare(String(b.number ?? b.invoice_id), undefined, { numeric: true });
}
