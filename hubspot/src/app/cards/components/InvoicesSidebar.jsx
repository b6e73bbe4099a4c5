// The sidebar card, for people who never open record tabs: the summary and the two main actions.
import React from 'react';
import { Button, ErrorState, Flex, Link, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';
import { Notice } from '@hubbooks/ui-shared/notices';
import { byDueDate, formatDate, formatMoney, plural } from '@hubbooks/ui-shared/format';
import { CardActions } from './CardActions.jsx';
import { NotConnected } from './NotConnected.jsx';
import { SummaryList } from './InvoiceSummary.jsx';
import { usePreview } from './InvoicesCardView.jsx';
import { useInvoicesCard } from './useInvoicesCard.js';

export function InvoicesSidebar({ context, actions, api, noticeMs }) {
  const card = useInvoicesCard({ context, actions, api, noticeMs });
  const { objectType, objectLabel, locale, state, load, notice, showNotice } = card;
  const preview = usePreview(api, actions, showNotice);

  if (!objectType) return <Text>This card works on deals, contacts and companies.</Text>;
  if (state.status === 'loading') {
    return <LoadingSpinner label="Loading QuickBooks summary" size="sm" testId="sidebar-loading" />;
  }
  if (state.status === 'error') {
    return (
      <ErrorState title="QuickBooks summary could not be loaded" testId="sidebar-error">
        <Text>{describeError(state.error)}</Text>
        <Button size="sm" onClick={load} testId="sidebar-retry">Try again</Button>
      </ErrorState>
    );
  }
  const data = state.data;
  if ((data.companies ?? []).length === 0) return <NotConnected context={context} onRefresh={load} compact />;

  const invoices = data.invoices ?? [];
  const next = [...invoices].filter((i) => i.status !== 'paid' && i.status !== 'voided').sort(byDueDate)[0];
  return (
    <Flex direction="column" gap="sm" testId="sidebar">
      <Notice notice={notice} testId="sidebar-notice" />
      {invoices.length === 0 ? (
        <Text testId="sidebar-empty">No QuickBooks invoices are linked to this {objectLabel} yet.</Text>
      ) : (
        <>
          <SummaryList summary={data.summary} locale={locale} />
          <Text variant="microcopy" testId="sidebar-count">
            {plural(invoices.length, 'invoice')} linked.
            {next ? ' Next due: ' : ''}
            {next ? (
              <Link href={{ url: next.qbo_url, external: true }} testId="sidebar-next-due">
                {next.number || `#${next.invoice_id}`} on {formatDate(next.due_date)}
                {' '}({formatMoney(next.balance, next.currency, locale)})
              </Link>
            ) : null}
          </Text>
        </>
      )}
      <Flex gap="xs" wrap>
        <CardActions card={card} actions={actions} api={api} onPreview={preview} size="sm" />
      </Flex>
    </Flex>
  );
}
