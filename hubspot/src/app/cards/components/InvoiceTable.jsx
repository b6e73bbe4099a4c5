// The record's invoices, compact enough for a record tab: sorted by due date, a page at a time, the number linking
// to QuickBooks, a status tag, and amounts with their currency (so no separate currency column).
import React, { useEffect, useState } from 'react';
import {
  Button, Flex, Link, Modal, ModalBody, ModalFooter, StatusTag, Table, TableBody, TableCell, TableHead, TableHeader,
  TableRow, Text,
} from '@hubspot/ui-extensions';
import { byDueDate, formatDate, formatMoney, statusVariant } from '@hubbooks/ui-shared/format';
import { InvoiceDelivery } from './InvoiceDelivery.jsx';

export const PAGE_SIZE = 10;

export const unlinkModalId = (invoice) => `hubbooks-unlink-${invoice.realm_id}-${invoice.invoice_id}`;

export function invoiceLabel(invoice) {
  return invoice.number ? `Invoice ${invoice.number}` : `Invoice (QuickBooks id ${invoice.invoice_id})`;
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

function InvoiceRow({ invoice, showCompany, locale, onPreview, onUnlink, onCancelUnlink, objectLabel, onSend, onVoid,
  onCancel }) {
  const key = `${invoice.realm_id}-${invoice.invoice_id}`;
  return (
    <TableRow>
      <TableCell>
        <Flex direction="column" gap="flush">
          <Link href={{ url: invoice.qbo_url, external: true }} testId={`qbo-link-${key}`}>
            {invoice.number || `#${invoice.invoice_id}`}
          </Link>
          <Text variant="microcopy">
            {[invoice.customer, showCompany ? invoice.company_name : null].filter(Boolean).join(' · ') || '—'}
          </Text>
          {invoice.payment_link ? (
            <Link href={{ url: invoice.payment_link, external: true }} testId={`payment-link-${key}`}>
              Payment link
            </Link>
          ) : null}
        </Flex>
      </TableCell>
      <TableCell>{formatDate(invoice.due_date)}</TableCell>
      <TableCell>
        <StatusTag variant={statusVariant(invoice.status)} testId={`status-${key}`}>{invoice.status_label}</StatusTag>
      </TableCell>
      <TableCell>
        <Amount value={invoice.amount} currency={invoice.currency} homeValue={invoice.home_amount}
          homeCurrency={invoice.home_currency} locale={locale} />
      </TableCell>
      <TableCell>
        <Amount value={invoice.balance} currency={invoice.currency} homeValue={invoice.home_balance}
          homeCurrency={invoice.home_currency} locale={locale} />
      </TableCell>
      <TableCell>
        <Flex gap="xs" wrap>
          <Button size="xs" variant="secondary" testId={`preview-${key}`} onClick={() => onPreview(invoice)}>
            Preview
          </Button>
          {onSend ? (
            <InvoiceDelivery invoice={invoice} label={invoiceLabel(invoice)} onSend={onSend} onVoid={onVoid}
              onCancel={onCancel} />
          ) : null}
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

export function InvoiceTable({ invoices, showCompany, locale, objectLabel, onPreview, onUnlink, onCancelUnlink,
  onSend, onVoid, onCancel, pageSize = PAGE_SIZE }) {
  const sorted = [...invoices].sort(byDueDate);
  const pageCount = Math.max(1, Math.ceil(sorted.length / pageSize));
  const [page, setPage] = useState(1);
  useEffect(() => { if (page > pageCount) setPage(pageCount); }, [page, pageCount]);
  const current = Math.min(page, pageCount);
  const rows = sorted.slice((current - 1) * pageSize, current * pageSize);
  const pagination = pageCount > 1
    ? { paginated: true, pageCount, page: current, onPageChange: setPage, showFirstLastButtons: pageCount > 3 }
    : {};
  return (
    <Table bordered density="condensed" testId="invoice-table" {...pagination}>
      <TableHead>
        <TableRow>
          <TableHeader>Invoice</TableHeader>
          <TableHeader>Due</TableHeader>
          <TableHeader>Status</TableHeader>
          <TableHeader>Amount</TableHeader>
          <TableHeader>Balance</TableHeader>
          <TableHeader width="min">Actions</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((invoice) => (
          <InvoiceRow key={`${invoice.realm_id}-${invoice.invoice_id}`} invoice={invoice} showCompany={showCompany}
            locale={locale} objectLabel={objectLabel} onPreview={onPreview} onUnlink={onUnlink}
            onCancelUnlink={onCancelUnlink} onSend={onSend} onVoid={onVoid} onCancel={onCancel} />
        ))}
      </TableBody>
    </Table>
  );
}
