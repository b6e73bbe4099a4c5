import React, { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert, Button, EmptyState, ErrorState, Flex, Link, LoadingSpinner, Modal, ModalBody, ModalFooter, Panel,
  StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text,
} from '@hubspot/ui-extensions';
import { describeError } from '../lib/api.js';
import { formatDate, formatMoney, objectName, objectTypeOf, plural, statusVariant } from '../lib/format.js';
import { InvoiceWizard } from './InvoiceWizard.jsx';
import { LinkExistingInvoices } from './LinkExistingInvoices.jsx';

export const WIZARD_PANEL_ID = 'hubbooks-create-invoice';
export const LINK_PANEL_ID = 'hubbooks-add-existing-invoice';
const unlinkModalId = (invoice) => `hubbooks-unlink-${invoice.realm_id}-${invoice.invoice_id}`;

export function invoiceLabel(invoice) {
  return invoice.number ? `Invoice ${invoice.number}` : `Invoice (QuickBooks id ${invoice.invoice_id})`;
}

/** Opens the invoice PDF in HubSpot's iframe modal; if that is not possible, says so and offers QuickBooks. */
export function usePreview(api, actions, setNotice) {
  return useCallback(async (invoice) => {
    try {
      const link = await api.invoicePreviewLink(invoice.realm_id, invoice.invoice_id);
      actions.openIframeModal({ uri: link.url, height: 900, width: 900, title: invoiceLabel(invoice) });
    } catch (error) {
      setNotice({
        variant: 'warning',
        title: 'The preview could not be opened',
        message: describeError(error),
        link: invoice.qbo_url ? { url: invoice.qbo_url, label: 'Open the invoice in QuickBooks' } : null,
      });
    }
  }, [api, actions, setNotice]);
}

function Notice({ notice }) {
  if (!notice) return null;
  return (
    <Alert title={notice.title} variant={notice.variant} testId="card-notice">
      {notice.message}
      {notice.link ? <> <Link href={{ url: notice.link.url, external: true }}>{notice.link.label}</Link></> : null}
    </Alert>
  );
}

function Amount({ value, currency, homeValue, homeCurrency, locale }) {
  return (
    <Flex direction="column" gap="flush">
      <Text>{formatMoney(value, currency, locale)}</Text>
      {homeCurrency && homeValue !== null && homeValue !== undefined ? (
        <Text variant="microcopy">{formatMoney(homeValue, homeCurrency, locale)} in {homeCurrency}</Text>
      ) : null}
    </Flex>
  );
}

function InvoiceRow({ invoice, showCompany, locale, onPreview, onUnlink, onCancelUnlink, objectLabel }) {
  const key = `${invoice.realm_id}-${invoice.invoice_id}`;
  return (
    <TableRow>
      <TableCell>
        <Flex direction="column" gap="flush">
          <Link href={{ url: invoice.qbo_url, external: true }} testId={`qbo-link-${key}`}>
            {invoice.number || `#${invoice.invoice_id}`}
          </Link>
          {showCompany ? <Text variant="microcopy">{invoice.company_name}</Text> : null}
        </Flex>
      </TableCell>
      <TableCell>{invoice.customer || '—'}</TableCell>
      <TableCell>
        <Amount value={invoice.amount} currency={invoice.currency} homeValue={invoice.home_amount}
          homeCurrency={invoice.home_currency} locale={locale} />
      </TableCell>
      <TableCell>
        <Amount value={invoice.balance} currency={invoice.currency} homeValue={invoice.home_balance}
          homeCurrency={invoice.home_currency} locale={locale} />
      </TableCell>
      <TableCell>{invoice.currency}</TableCell>
      <TableCell>{formatDate(invoice.due_date)}</TableCell>
      <TableCell>
        <StatusTag variant={statusVariant(invoice.status)} testId={`status-${key}`}>{invoice.status_label}</StatusTag>
      </TableCell>
      <TableCell>
        <Flex gap="xs" wrap>
          <Button size="xs" variant="secondary" testId={`preview-${key}`} onClick={() => onPreview(invoice)}>
            Preview
          </Button>
          <Button size="xs" variant="transparent" testId={`unlink-${key}`} overlay={
            <Modal id={unlinkModalId(invoice)} title="Unlink this invoice?" variant="danger" width="sm">
              <ModalBody>
                <Text>
                  {invoiceLabel(invoice)} will no longer show on this {objectLabel}. Nothing changes in QuickBooks,
                  and you can add it again later.
                </Text>
              </ModalBody>
              <ModalFooter>
                <Button variant="destructive" testId={`confirm-unlink-${key}`} onClick={() => onUnlink(invoice)}>
                  Unlink
                </Button>
                <Button variant="secondary" onClick={() => onCancelUnlink(invoice)}>Cancel</Button>
              </ModalFooter>
            </Modal>
          }>
            Unlink
          </Button>
        </Flex>
      </TableCell>
    </TableRow>
  );
}

export function InvoicesCardView({ context, actions, api }) {
  const objectType = objectTypeOf(context?.crm?.objectTypeId);
  const objectId = context?.crm?.objectId !== undefined ? String(context.crm.objectId) : '';
  const locale = context?.user?.locale;
  const objectLabel = objectName(objectType);

  const [state, setState] = useState({ status: 'loading', data: null, error: null });
  const [notice, setNotice] = useState(null);
  const [wizardRun, setWizardRun] = useState(0);
  const [wizardOpen, setWizardOpen] = useState(false);
  const [linkOpen, setLinkOpen] = useState(false);
  const changed = useRef(false);

  const load = useCallback(async () => {
    if (!objectType) return;
    setState((previous) => ({ ...previous, status: previous.data ? 'refreshing' : 'loading', error: null }));
    try {
      const data = await api.cardData(objectType, objectId);
      setState({ status: 'ready', data, error: null });
    } catch (error) {
      setState({ status: 'error', data: null, error });
    }
  }, [api, objectType, objectId]);

  useEffect(() => { load(); }, [load]);

  const preview = usePreview(api, actions, setNotice);

  const unlink = useCallback(async (invoice) => {
    actions.closeOverlay(unlinkModalId(invoice));
    try {
      await api.unlinkInvoice({ objectType, objectId, realmId: invoice.realm_id, invoiceId: invoice.invoice_id });
      setNotice({ variant: 'success', title: 'Invoice unlinked',
        message: `${invoiceLabel(invoice)} no longer shows on this ${objectLabel}.` });
      await load();
    } catch (error) {
      setNotice({ variant: 'danger', title: 'The invoice could not be unlinked', message: describeError(error) });
    }
  }, [actions, api, load, objectType, objectId, objectLabel]);

  const closePanel = useCallback((setOpen) => {
    setOpen(false);
    if (changed.current) {
      changed.current = false;
      load();
    }
  }, [load]);

  if (!objectType) {
    return <Alert title="Not available here" variant="info">This card works on deals, contacts and companies.</Alert>;
  }
  if (state.status === 'loading') {
    return <LoadingSpinner label="Loading QuickBooks invoices" layout="centered" testId="card-loading" />;
  }
  if (state.status === 'error') {
    return (
      <ErrorState title="QuickBooks invoices could not be loaded" testId="card-error">
        <Text>{describeError(state.error)}</Text>
        <Button onClick={load} testId="card-retry">Try again</Button>
      </ErrorState>
    );
  }

  const data = state.data;
  const invoices = data.invoices ?? [];
  const unavailable = data.unavailable_invoices ?? [];
  const companies = data.companies ?? [];
  const nextActions = data.next_actions ?? [];
  const createAction = nextActions.find((a) => a.action === 'create_invoice');
  const linkAction = nextActions.find((a) => a.action === 'link_existing_invoice');

  if (companies.length === 0) {
    return (
      <EmptyState title="Connect QuickBooks to see invoices here" layout="vertical" testId="card-not-connected">
        <Text>
          No QuickBooks Online company is connected to this HubSpot account yet. A HubSpot admin can connect one in
          the HubBooks app settings (Connect a QuickBooks company). Then refresh this card.
        </Text>
        <Button onClick={load} testId="card-refresh">Refresh</Button>
      </EmptyState>
    );
  }

  return (
    <Flex direction="column" gap="sm">
      <Notice notice={notice} />
      <Flex gap="sm" align="center" wrap>
        {createAction ? (
          <Button variant="primary" disabled={!createAction.enabled} testId="create-invoice" overlay={
            <Panel id={WIZARD_PANEL_ID} title="Create a QuickBooks invoice" width="lg" variant="modal"
              onOpen={() => { setWizardRun((run) => run + 1); setWizardOpen(true); }}
              onClose={() => closePanel(setWizardOpen)}>
              {wizardOpen ? (
                <InvoiceWizard key={wizardRun} api={api} dealId={objectId} locale={locale}
                  onPreview={preview} onCreated={() => { changed.current = true; }}
                  onClose={() => actions.closeOverlay(WIZARD_PANEL_ID)} />
              ) : null}
            </Panel>
          }>
            {createAction.label || 'Create invoice'}
          </Button>
        ) : null}
        {linkAction ? (
          <Button variant="secondary" disabled={linkAction.enabled === false} testId="add-existing-invoice" overlay={
            <Panel id={LINK_PANEL_ID} title="Add an existing QuickBooks invoice" width="lg" variant="modal"
              onOpen={() => setLinkOpen(true)} onClose={() => closePanel(setLinkOpen)}>
              {linkOpen ? (
                <LinkExistingInvoices api={api} companies={companies} objectType={objectType} objectId={objectId}
                  locale={locale} onLinked={() => { changed.current = true; }}
                  onClose={() => actions.closeOverlay(LINK_PANEL_ID)} />
              ) : null}
            </Panel>
          }>
            {linkAction.label || 'Add existing invoice'}
          </Button>
        ) : null}
        <Button variant="transparent" size="xs" onClick={load} testId="card-refresh">Refresh</Button>
        {state.status === 'refreshing' ? <LoadingSpinner label="Refreshing" size="xs" /> : null}
      </Flex>
      {createAction && !createAction.enabled && createAction.reason ? (
        <Text variant="microcopy" testId="create-disabled-reason">
          Invoices cannot be created right now: {createAction.reason}
        </Text>
      ) : null}

      {unavailable.length > 0 ? (
        <Alert title={`${plural(unavailable.length, 'linked invoice')} cannot be shown`} variant="warning"
          testId="card-unavailable">
          {unavailable.map((item) => (
            <Text key={`${item.realm_id}-${item.invoice_id}`}>
              {item.number ? `Invoice ${item.number}` : `QuickBooks invoice ${item.invoice_id}`}: {item.reason}
            </Text>
          ))}
        </Alert>
      ) : null}

      {invoices.length === 0 ? (
        <EmptyState title="No QuickBooks invoices yet" layout="vertical" imageWidth={120} testId="card-empty">
          <Text>
            No QuickBooks invoices are linked to this {objectLabel}.
            {objectType === 'deal' ? ' Create one from this deal, or add an invoice that already exists.'
              : ' Add an invoice that already exists in QuickBooks.'}
          </Text>
        </EmptyState>
      ) : (
        <Table bordered testId="invoice-table">
          <TableHead>
            <TableRow>
              <TableHeader>Number</TableHeader>
              <TableHeader>Customer</TableHeader>
              <TableHeader>Amount</TableHeader>
              <TableHeader>Balance</TableHeader>
              <TableHeader>Currency</TableHeader>
              <TableHeader>Due date</TableHeader>
              <TableHeader>Status</TableHeader>
              <TableHeader>Actions</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {invoices.map((invoice) => (
              <InvoiceRow key={`${invoice.realm_id}-${invoice.invoice_id}`} invoice={invoice}
                showCompany={companies.length > 1} locale={locale} objectLabel={objectLabel}
                onPreview={preview} onUnlink={unlink}
                onCancelUnlink={(inv) => actions.closeOverlay(unlinkModalId(inv))} />
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}
