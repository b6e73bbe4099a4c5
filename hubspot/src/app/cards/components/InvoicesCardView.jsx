// The "QuickBooks invoices" record tab: a summary line, the two main actions, and the invoices table.
import React, { useCallback } from 'react';
import { Alert, Button, EmptyState, ErrorState, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { describeError, newSubmissionId } from '@hubbooks/ui-shared/api';
import { Notice } from '@hubbooks/ui-shared/notices';
import { plural } from '@hubbooks/ui-shared/format';
import { ApprovalRequests, useApprovalRequests } from './ApprovalRequests.jsx';
import { CardActions } from './CardActions.jsx';
import { CreditTable } from './CreditTable.jsx';
import { InvoiceTable, invoiceLabel, unlinkModalId } from './InvoiceTable.jsx';
import { sendModalId, voidModalId } from './InvoiceDelivery.jsx';
import { NotConnected } from './NotConnected.jsx';
import { SummaryLine } from './InvoiceSummary.jsx';
import { useInvoicesCard } from './useInvoicesCard.js';

export { LINK_PANEL_ID, WIZARD_PANEL_ID } from './CardActions.jsx';
export { invoiceLabel } from './InvoiceTable.jsx';

/** Opens the invoice PDF in HubSpot's iframe modal; if that is not possible, says so and offers QuickBooks. */
export function usePreview(api, actions, showNotice) {
  return useCallback(async (invoice) => {
    try {
      const link = await api.invoicePreviewLink(invoice.realm_id, invoice.invoice_id);
      actions.openIframeModal({ uri: link.url, height: 900, width: 900, title: invoiceLabel(invoice) });
    } catch (error) {
      showNotice({
        variant: 'warning',
        title: 'The preview could not be opened',
        message: describeError(error),
        link: invoice.qbo_url ? { url: invoice.qbo_url, label: 'Open the invoice in QuickBooks' } : null,
      });
    }
  }, [api, actions, showNotice]);
}

export function InvoicesCardView({ context, actions, api, noticeMs }) {
  const card = useInvoicesCard({ context, actions, api, noticeMs });
  const { objectType, objectId, objectLabel, locale, state, load, notice, showNotice } = card;
  const preview = usePreview(api, actions, showNotice);
  // Reloaded with the card's data: after a wizard run, a decision or a refresh.
  const approvals = useApprovalRequests(api, objectType === 'deal' ? objectId : null, state.data);

  const unlink = useCallback(async (invoice) => {
    actions.closeOverlay(unlinkModalId(invoice));
    try {
      await api.unlinkInvoice({ objectType, objectId, realmId: invoice.realm_id, invoiceId: invoice.invoice_id });
      showNotice({ variant: 'success', title: 'Invoice unlinked',
        message: `${invoiceLabel(invoice)} no longer shows on this ${objectLabel}.` });
      await card.afterChange();
    } catch (error) {
      showNotice({ variant: 'danger', title: 'The invoice could not be unlinked', message: describeError(error) });
    }
  }, [actions, api, card, objectType, objectId, objectLabel, showNotice]);

  const send = useCallback(async (invoice, to) => {
    actions.closeOverlay(sendModalId(invoice));
    try {
      const sent = await api.sendInvoice(invoice.realm_id, invoice.invoice_id, { to, sendId: newSubmissionId() });
      showNotice({ variant: 'success', title: 'Invoice sent',
        message: `${invoiceLabel(invoice)} was e-mailed to ${sent.sent_to} through QuickBooks.`
          + (sent.payment_link ? ' Its payment link is on the invoice row to share.' : ''),
        link: sent.payment_link ? { url: sent.payment_link, label: 'Open the payment link' } : null });
      await card.afterChange();
    } catch (error) {
      showNotice({ variant: 'danger', title: 'The invoice was not sent', message: describeError(error) });
    }
  }, [actions, api, card, showNotice]);

  const voidInvoice = useCallback(async (invoice) => {
    actions.closeOverlay(voidModalId(invoice));
    try {
      await api.voidInvoice(invoice.realm_id, invoice.invoice_id);
      showNotice({ variant: 'success', title: 'Invoice voided', message: `${invoiceLabel(invoice)} is voided in QuickBooks.` });
      await card.afterChange();
    } catch (error) {
      showNotice({ variant: 'danger', title: 'The invoice was not voided', message: describeError(error) });
    }
  }, [actions, api, card, showNotice]);

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
  const createAction = (data.next_actions ?? []).find((a) => a.action === 'create_invoice');

  if (companies.length === 0) return <NotConnected context={context} onRefresh={load} />;

  return (
    <Flex direction="column" gap="sm">
      <Notice notice={notice} testId="card-notice" />
      {invoices.length > 0 ? <SummaryLine summary={data.summary} locale={locale} /> : null}
      <Flex gap="sm" align="center" wrap>
        <CardActions card={card} actions={actions} api={api} onPreview={preview} />
        <Button variant="transparent" size="xs" onClick={load} testId="card-refresh">Refresh</Button>
        {state.status === 'refreshing' ? <LoadingSpinner label="Refreshing" size="xs" /> : null}
      </Flex>
      {createAction && !createAction.enabled && createAction.reason ? (
        <Text variant="microcopy" testId="create-disabled-reason">
          Invoices cannot be created right now: {createAction.reason}
        </Text>
      ) : null}

      <ApprovalRequests api={api} dealId={objectId} locale={locale} requests={approvals} onChanged={card.afterChange}
        showNotice={showNotice} />

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
        <InvoiceTable invoices={invoices} showCompany={companies.length > 1} locale={locale}
          objectLabel={objectLabel} onPreview={preview} onUnlink={unlink}
          onCancelUnlink={(invoice) => actions.closeOverlay(unlinkModalId(invoice))}
          onSend={send} onVoid={voidInvoice} onCancel={(id) => actions.closeOverlay(id)} />
      )}
      <CreditTable credits={data.credits} locale={locale} />
    </Flex>
  );
}
