import React, { useState } from 'react';
import {
  Alert, Button, Checkbox, DateInput, Flex, Input, LoadingSpinner, PanelBody, PanelFooter, PanelSection, Select,
  StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text,
} from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';
import { dateValueToIso, formatDate, formatMoney, objectName, plural, statusVariant } from '@hubbooks/ui-shared/format';

/** "Add existing invoice": search one company's QuickBooks invoices, tick some, link them to this record. */
export function LinkExistingInvoices({ api, companies, objectType, objectId, locale, onLinked, onClose }) {
  const [realmId, setRealmId] = useState(companies[0]?.realm_id ?? '');
  const [number, setNumber] = useState('');
  const [from, setFrom] = useState(null);
  const [to, setTo] = useState(null);
  const [results, setResults] = useState(null);
  const [selected, setSelected] = useState([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [outcome, setOutcome] = useState(null);

  const search = async () => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const answer = await api.searchInvoices(realmId, {
        number: number.trim() || undefined, from: dateValueToIso(from) ?? undefined, to: dateValueToIso(to) ?? undefined,
      });
      setResults(answer?.invoices ?? []);
      setSelected([]);
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (invoiceId, checked) => {
    setSelected((current) => (checked ? [...new Set([...current, invoiceId])] : current.filter((id) => id !== invoiceId)));
  };

  const link = async () => {
    if (busy || selected.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.linkInvoices({ realmId, invoiceIds: selected, objectType, objectId });
      const parts = [];
      if (result.linked?.length) parts.push(`Added ${plural(result.linked.length, 'invoice')}.`);
      if (result.already_linked?.length) parts.push(`${plural(result.already_linked.length, 'invoice')} already linked.`);
      if (result.not_found?.length) parts.push(`Not found in QuickBooks: ${result.not_found.join(', ')}.`);
      setOutcome(parts.join(' ') || 'Nothing changed.');
      setSelected([]);
      onLinked?.(result);
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PanelBody>
        <PanelSection>
          <Flex direction="column" gap="sm" testId="link-existing">
            {companies.length > 1 ? (
              <Select label="QuickBooks company" name="realm" value={realmId} testId="link-company"
                options={companies.map((c) => ({ label: c.company_name, value: c.realm_id }))}
                onChange={(value) => { setRealmId(String(value)); setResults(null); setSelected([]); }} />
            ) : null}
            <Flex gap="sm" wrap align="end">
              <Input label="Invoice number" name="number" value={number} onChange={setNumber} testId="link-number"
                placeholder="e.g. 1042" />
              <DateInput label="Invoice date from" name="from" value={from ?? undefined} onChange={setFrom} format="YYYY-MM-DD" />
              <DateInput label="Invoice date to" name="to" value={to ?? undefined} onChange={setTo} format="YYYY-MM-DD" />
              <Button onClick={search} disabled={busy || !realmId} testId="link-search">Search</Button>
            </Flex>
            {busy ? <LoadingSpinner label="Working" size="sm" /> : null}
            {error ? <Alert title="That did not work" variant="danger" testId="link-error">{describeError(error)}</Alert> : null}
            {outcome ? <Alert title="Invoices added" variant="success" testId="link-outcome">{outcome}</Alert> : null}
            {results && results.length === 0 ? (
              <Text testId="link-no-results">No invoices match. Try another number or date range.</Text>
            ) : null}
            {results && results.length > 0 ? (
              <Table bordered density="condensed" testId="link-results">
                <TableHead>
                  <TableRow>
                    <TableHeader width="min">Add</TableHeader>
                    <TableHeader>Number</TableHeader>
                    <TableHeader>Customer</TableHeader>
                    <TableHeader>Date</TableHeader>
                    <TableHeader>Amount</TableHeader>
                    <TableHeader>Status</TableHeader>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {results.map((invoice) => (
                    <TableRow key={invoice.invoice_id}>
                      <TableCell>
                        <Checkbox name={`pick-${invoice.invoice_id}`} testId={`pick-${invoice.invoice_id}`}
                          aria-label={`Add invoice ${invoice.number || invoice.invoice_id}`}
                          checked={selected.includes(invoice.invoice_id)}
                          onChange={(checked) => toggle(invoice.invoice_id, checked)} />
                      </TableCell>
                      <TableCell>{invoice.number || `#${invoice.invoice_id}`}</TableCell>
                      <TableCell>{invoice.customer || '—'}</TableCell>
                      <TableCell>{formatDate(invoice.invoice_date)}</TableCell>
                      <TableCell>{formatMoney(invoice.amount, invoice.currency, locale)}</TableCell>
                      <TableCell>
                        <StatusTag variant={statusVariant(invoice.status)}>{invoice.status_label}</StatusTag>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : null}
          </Flex>
        </PanelSection>
      </PanelBody>
      <PanelFooter>
        <Flex gap="sm" justify="between" testId="link-footer">
          <Button variant="secondary" onClick={onClose}>Close</Button>
          <Button variant="primary" onClick={link} disabled={busy || selected.length === 0} testId="link-submit">
            {selected.length ? `Add ${plural(selected.length, 'invoice')} to this ${objectName(objectType)}`
              : 'Add selected invoices'}
          </Button>
        </Flex>
      </PanelFooter>
    </>
  );
}
