// The record's invoices in one line (tab) or a short list (sidebar): invoiced, paid, outstanding and overdue in
// the HubSpot account's currency, as the backend adds them up (card summary).
import React from 'react';
import { DescriptionList, DescriptionListItem, Flex, Text } from '@hubspot/ui-extensions';
import { formatMoney, plural } from '@hubbooks/ui-shared/format';

function leftOut(summary) {
  return summary.other_currency_count > 0
    ? `${plural(summary.other_currency_count, 'invoice')} in other currencies not included.` : null;
}

export function SummaryLine({ summary, locale }) {
  if (!summary) return null;
  const money = (value) => formatMoney(value, summary.currency, locale);
  const overdue = summary.overdue_count > 0
    ? `Overdue ${money(summary.overdue)} (${plural(summary.overdue_count, 'invoice')})` : 'Nothing overdue';
  const note = leftOut(summary);
  return (
    <Flex direction="column" gap="flush" testId="summary-line">
      <Text format={{ fontWeight: 'demibold' }}>
        Invoiced {money(summary.invoiced)} · Paid {money(summary.paid)} · Outstanding {money(summary.outstanding)}
        {' · '}{overdue}
      </Text>
      {note ? <Text variant="microcopy">{note}</Text> : null}
    </Flex>
  );
}

export function SummaryList({ summary, locale }) {
  if (!summary) return null;
  const money = (value) => formatMoney(value, summary.currency, locale);
  const note = leftOut(summary);
  return (
    <Flex direction="column" gap="xs" testId="summary-list">
      <DescriptionList direction="row">
        <DescriptionListItem label="Invoiced">{money(summary.invoiced)}</DescriptionListItem>
        <DescriptionListItem label="Paid">{money(summary.paid)}</DescriptionListItem>
        <DescriptionListItem label="Outstanding">{money(summary.outstanding)}</DescriptionListItem>
        <DescriptionListItem label="Overdue">{money(summary.overdue)}</DescriptionListItem>
      </DescriptionList>
      {note ? <Text variant="microcopy">{note}</Text> : null}
    </Flex>
  );
}
