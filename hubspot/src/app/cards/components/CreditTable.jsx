// Credit memos and refunds of the record's QuickBooks customer: what QuickBooks owes back (a memo's credit not yet
// applied to an invoice) or paid back (a refund). They lower the outstanding balance and the total paid.
import React from 'react';
import { Flex, Heading, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag, Text } from '@hubspot/ui-extensions';
import { formatDate, formatMoney } from '@hubbooks/ui-shared/format';

export function CreditTable({ credits, locale }) {
  if (!credits || credits.length === 0) return null;
  return (
    <Flex direction="column" gap="xs" testId="card-credits">
      <Heading>Credits and refunds</Heading>
      <Table bordered={false}>
        <TableHead>
          <TableRow>
            <TableHeader>Kind</TableHeader>
            <TableHeader>Number</TableHeader>
            <TableHeader>Date</TableHeader>
            <TableHeader>Amount</TableHeader>
            <TableHeader>Not yet applied</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {credits.map((credit) => (
            <TableRow key={`${credit.realm_id}-${credit.kind}-${credit.txn_id}`}>
              <TableCell><Tag variant={credit.kind === 'refund' ? 'default' : 'success'}>{credit.label}</Tag></TableCell>
              <TableCell><Text>{credit.number ?? credit.txn_id}</Text></TableCell>
              <TableCell><Text>{formatDate(credit.date)}</Text></TableCell>
              <TableCell><Text testId={`credit-amount-${credit.kind}-${credit.txn_id}`}>
                {formatMoney(credit.amount, credit.currency, locale)}</Text></TableCell>
              <TableCell><Text>{credit.kind === 'refund' ? '—' : formatMoney(credit.unapplied, credit.currency, locale)}
              </Text></TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}
