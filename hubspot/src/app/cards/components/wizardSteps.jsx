// The create-invoice wizard's step views. They only render and report choices; InvoiceWizard holds the state
// and talks to the API.
import React, { useState } from 'react';
import {
  Alert, Button, DateInput, DescriptionList, DescriptionListItem, Flex, Input, LoadingSpinner, NumberInput,
  RadioButton, Select, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag, Text, TextArea,
} from '@hubspot/ui-extensions';
import { formatDate, formatMoney, isoToDateValue, dateValueToIso, toNumber } from '@hubbooks/ui-shared/format';

export function CompanyStep({ companies, realmId, onSelect }) {
  return (
    <Flex direction="column" gap="sm">
      <Text>Which QuickBooks company should the invoice go to?</Text>
      {companies.map((company) => (
        <Flex key={company.realm_id} direction="column" gap="flush">
          <RadioButton name="company" value={company.realm_id} testId={`company-${company.realm_id}`}
            checked={realmId === company.realm_id} readOnly={!company.can_create_invoices}
            onChange={(checked) => checked && onSelect(company.realm_id)}
            description={`${company.country} · ${company.home_currency}`}>
            {company.company_name}
          </RadioButton>
          {!company.can_create_invoices && company.blocked_reason ? (
            <Text variant="microcopy">Not available: {company.blocked_reason}</Text>
          ) : null}
        </Flex>
      ))}
    </Flex>
  );
}

export function SourceStep({ quotes, source, onSelect }) {
  return (
    <Flex direction="column" gap="sm">
      <Text>Start from one of the deal's quotes, or enter the products yourself.</Text>
      {quotes.map((quote) => (
        <Flex key={quote.quote_id} direction="column" gap="flush">
          <RadioButton name="source" value={quote.quote_id} testId={`source-quote-${quote.quote_id}`}
            readOnly={!quote.usable}
            checked={source?.kind === 'quote' && source.quoteId === quote.quote_id}
            onChange={(checked) => checked && onSelect({ kind: 'quote', quoteId: quote.quote_id })}
            description={[quote.status, quote.currency, quote.expiration_date && `expires ${formatDate(quote.expiration_date)}`,
              `${quote.line_items?.length ?? 0} line items`].filter(Boolean).join(' · ')}>
            Quote: {quote.title}
          </RadioButton>
          {!quote.usable && quote.reason ? <Text variant="microcopy">Cannot be used: {quote.reason}</Text> : null}
        </Flex>
      ))}
      <RadioButton name="source" value="scratch" testId="source-scratch" checked={source?.kind === 'scratch'}
        onChange={(checked) => checked && onSelect({ kind: 'scratch' })}>
        Start from scratch
      </RadioButton>
    </Flex>
  );
}

function customerLine(customer) {
  return [customer.company_name, customer.email, customer.currency].filter(Boolean).join(' · ');
}

function CustomerChoices({ customers, selectedId, onSelect, testIdPrefix, showReason }) {
  return (
    <Table density="condensed" bordered>
      <TableBody>
        {customers.map((customer) => (
          <TableRow key={customer.customer_id}>
            <TableCell>
              <Flex direction="column" gap="flush">
                <Text format={{ fontWeight: 'demibold' }}>{customer.display_name}</Text>
                {customerLine(customer) ? <Text variant="microcopy">{customerLine(customer)}</Text> : null}
                {showReason && customer.reason ? <Text variant="microcopy">Why: {customer.reason}</Text> : null}
              </Flex>
            </TableCell>
            <TableCell width="min">
              {selectedId === customer.customer_id ? <Tag variant="success">Selected</Tag> : (
                <Button size="xs" onClick={() => onSelect(customer)} testId={`${testIdPrefix}-${customer.customer_id}`}>
                  Select
                </Button>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function CustomerStep({
  suggestions, loading, customer, onSelect, onSearch, searchResults, newCustomer, onCreate, creating, notice,
}) {
  const [search, setSearch] = useState('');
  const [form, setForm] = useState(null);
  const startForm = () => setForm({
    display_name: newCustomer?.display_name ?? '', company_name: newCustomer?.company_name ?? '',
    email: newCustomer?.email ?? '', given_name: newCustomer?.given_name ?? '',
    family_name: newCustomer?.family_name ?? '', currency: newCustomer?.currency ?? '',
  });
  const set = (field) => (value) => setForm((current) => ({ ...current, [field]: value }));
  return (
    <Flex direction="column" gap="sm">
      {customer ? (
        <Text testId="selected-customer">Invoice to: <Text inline format={{ fontWeight: 'bold' }}>{customer.display_name}</Text></Text>
      ) : <Text>Choose the QuickBooks customer to invoice.</Text>}
      {notice ? <Alert title="Customer created" variant="info" testId="customer-notice">{notice}</Alert> : null}
      {loading ? <LoadingSpinner label="Finding matching customers" size="sm" /> : null}
      {!loading && suggestions.length > 0 ? (
        <>
          <Text format={{ fontWeight: 'demibold' }}>Best matches for this deal</Text>
          <CustomerChoices customers={suggestions} selectedId={customer?.customer_id} onSelect={onSelect}
            testIdPrefix="suggestion" showReason />
        </>
      ) : null}
      {!loading && suggestions.length === 0 ? (
        <Text testId="no-suggestions">No QuickBooks customer matches this deal's contacts or companies.</Text>
      ) : null}
      <Flex gap="sm" align="end">
        <Input label="Search QuickBooks customers" name="customer-search" value={search} onChange={setSearch}
          testId="customer-search" placeholder="Part of the name" />
        <Button onClick={() => onSearch(search.trim())} testId="customer-search-button">Search</Button>
      </Flex>
      {searchResults ? (
        searchResults.length ? (
          <CustomerChoices customers={searchResults} selectedId={customer?.customer_id} onSelect={onSelect}
            testIdPrefix="search-result" />
        ) : <Text testId="no-customer-results">No customers found with that name.</Text>
      ) : null}
      {form ? (
        <Flex direction="column" gap="xs" testId="new-customer-form">
          <Text format={{ fontWeight: 'demibold' }}>New QuickBooks customer</Text>
          <Input label="Display name" name="display_name" required value={form.display_name}
            onChange={set('display_name')} testId="new-customer-name" />
          <Input label="Company name" name="company_name" value={form.company_name} onChange={set('company_name')} />
          <Flex gap="sm">
            <Input label="First name" name="given_name" value={form.given_name} onChange={set('given_name')} />
            <Input label="Last name" name="family_name" value={form.family_name} onChange={set('family_name')} />
          </Flex>
          <Input label="Email" name="email" value={form.email} onChange={set('email')} />
          <Input label="Currency (3 letters, e.g. USD)" name="currency" value={form.currency} onChange={set('currency')} />
          <Flex gap="sm">
            <Button variant="primary" disabled={creating || !form.display_name.trim()} testId="new-customer-create"
              onClick={() => onCreate(form, () => setForm(null))}>
              {creating ? 'Creating…' : 'Create customer'}
            </Button>
            <Button variant="secondary" onClick={() => setForm(null)}>Cancel</Button>
          </Flex>
        </Flex>
      ) : null}
      {!form && !loading ? (
        <Button variant="transparent" onClick={startForm} testId="new-customer">Create a new customer</Button>
      ) : null}
    </Flex>
  );
}

export function LinesStep({ lines, unmapped, currency, locale, onChange, onRemove, onSearchItems, itemResults, onAddItem }) {
  const [search, setSearch] = useState('');
  return (
    <Flex direction="column" gap="sm">
      {unmapped.length > 0 ? (
        <Alert title="Some quote lines could not be matched to QuickBooks products" variant="warning"
          testId="unmapped-lines">
          {unmapped.map((line) => <Text key={line.line_item_id}>{line.name}: {line.reason}</Text>)}
          <Text>Add the right products below, or leave them off the invoice.</Text>
        </Alert>
      ) : null}
      {lines.length === 0 ? <Text testId="no-lines">No products yet. Search for one below.</Text> : (
        <Table bordered density="condensed" testId="draft-lines">
          <TableHead>
            <TableRow>
              <TableHeader>Product or service</TableHeader>
              <TableHeader>Quantity</TableHeader>
              <TableHeader>Rate</TableHeader>
              <TableHeader>Description</TableHeader>
              <TableHeader width="min">Amount</TableHeader>
              <TableHeader width="min"> </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {lines.map((line, index) => (
              <TableRow key={line.key}>
                <TableCell>{line.item_name}</TableCell>
                <TableCell>
                  <NumberInput label="Quantity" name={`quantity-${index}`} value={toNumber(line.quantity) ?? undefined}
                    min={0} precision={4} testId={`line-quantity-${index}`}
                    onChange={(value) => onChange(index, { quantity: value })} />
                </TableCell>
                <TableCell>
                  <NumberInput label="Rate" name={`rate-${index}`} value={toNumber(line.rate) ?? undefined} min={0}
                    precision={2} testId={`line-rate-${index}`} onChange={(value) => onChange(index, { rate: value })} />
                </TableCell>
                <TableCell>
                  <Input label="Description" name={`description-${index}`} value={line.description ?? ''}
                    testId={`line-description-${index}`} onChange={(value) => onChange(index, { description: value })} />
                </TableCell>
                <TableCell>
                  {formatMoney((toNumber(line.quantity) ?? 0) * (toNumber(line.rate) ?? 0), currency, locale)}
                </TableCell>
                <TableCell>
                  <Button size="xs" variant="transparent" onClick={() => onRemove(index)} testId={`line-remove-${index}`}>
                    Remove
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Flex gap="sm" align="end">
        <Input label="Find a QuickBooks product or service" name="item-search" value={search} onChange={setSearch}
          testId="item-search" placeholder="Part of the name" />
        <Button onClick={() => onSearchItems(search.trim())} testId="item-search-button">Search</Button>
      </Flex>
      {itemResults ? (
        itemResults.length ? (
          <Table density="condensed" bordered testId="item-results">
            <TableBody>
              {itemResults.map((item) => (
                <TableRow key={item.item_id}>
                  <TableCell>
                    <Flex direction="column" gap="flush">
                      <Text format={{ fontWeight: 'demibold' }}>{item.name}</Text>
                      <Text variant="microcopy">
                        {[item.sku && `SKU ${item.sku}`, item.type, item.unit_price != null
                          && formatMoney(item.unit_price, currency, locale)].filter(Boolean).join(' · ')}
                      </Text>
                    </Flex>
                  </TableCell>
                  <TableCell width="min">
                    <Button size="xs" onClick={() => onAddItem(item)} testId={`add-item-${item.item_id}`}>Add</Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : <Text testId="no-item-results">No products or services found with that name.</Text>
      ) : null}
    </Flex>
  );
}

export function TaxStep({ lines, options, onChange }) {
  const choices = options.tax_codes.map((code) => ({ label: `${code.name} (${code.percent}%)`, value: code.tax_code_id }));
  return (
    <Flex direction="column" gap="sm">
      <Text>
        {options.country} companies need a {options.tax_label || 'tax'} code on every line.
      </Text>
      <Select label={`${options.tax_label || 'Tax'} code for all lines`} name="tax-all" options={choices}
        testId="tax-all" placeholder="Choose to apply to every line"
        onChange={(value) => lines.forEach((_, index) => onChange(index, { tax_code_id: String(value) }))} />
      {lines.map((line, index) => (
        <Select key={line.key} label={line.item_name} name={`tax-${index}`} options={choices}
          value={line.tax_code_id ?? undefined} testId={`tax-line-${index}`} required
          onChange={(value) => onChange(index, { tax_code_id: String(value) })} />
      ))}
    </Flex>
  );
}

export function DetailsStep({ options, details, onChange }) {
  const termChoices = [{ label: 'No terms', value: '' },
    ...options.terms.map((term) => ({ label: term.name, value: term.term_id }))];
  return (
    <Flex direction="column" gap="sm">
      <Select label="Payment terms" name="terms" options={termChoices} value={details.termId ?? ''} testId="terms"
        onChange={(value) => onChange({ termId: value ? String(value) : null })} />
      <Flex gap="sm">
        <DateInput label="Invoice date" name="invoice-date" format="YYYY-MM-DD" testId="invoice-date"
          value={isoToDateValue(details.invoiceDate)} onChange={(value) => onChange({ invoiceDate: dateValueToIso(value) })} />
        <DateInput label="Due date" name="due-date" format="YYYY-MM-DD" testId="due-date"
          description="Leave empty to work it out from the terms."
          value={isoToDateValue(details.dueDate)} onChange={(value) => onChange({ dueDate: dateValueToIso(value) })} />
      </Flex>
      <TextArea label="Message to the customer" name="customer-message" value={details.message ?? ''} maxLength={1000}
        rows={3} testId="customer-message" onChange={(value) => onChange({ message: value })} />
      {options.assigns_doc_numbers ? (
        <Text variant="microcopy">HubBooks will number this invoice (custom transaction numbers are on).</Text>
      ) : null}
    </Flex>
  );
}

export function ReviewStep({ review, locale }) {
  const currency = review.currency;
  return (
    <Flex direction="column" gap="sm" testId="review">
      <DescriptionList direction="row">
        <DescriptionListItem label="Customer">{review.customer.display_name}</DescriptionListItem>
        <DescriptionListItem label="Invoice date">{formatDate(review.invoice_date)}</DescriptionListItem>
        <DescriptionListItem label="Due date">{formatDate(review.due_date)}</DescriptionListItem>
        <DescriptionListItem label="Terms">{review.term_name || 'None'}</DescriptionListItem>
        <DescriptionListItem label="Currency">{currency}</DescriptionListItem>
      </DescriptionList>
      <Table bordered density="condensed" testId="review-lines">
        <TableHead>
          <TableRow>
            <TableHeader>Product or service</TableHeader>
            <TableHeader>Description</TableHeader>
            <TableHeader align="right">Qty</TableHeader>
            <TableHeader align="right">Rate</TableHeader>
            <TableHeader align="right">Amount</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {review.lines.map((line, index) => (
            <TableRow key={`${line.item_id}-${index}`}>
              <TableCell>{line.item_name}</TableCell>
              <TableCell>{line.description || ''}</TableCell>
              <TableCell align="right">{String(line.quantity)}</TableCell>
              <TableCell align="right">{formatMoney(line.rate, currency, locale)}</TableCell>
              <TableCell align="right">{formatMoney(line.amount, currency, locale)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <DescriptionList direction="column">
        <DescriptionListItem label="Subtotal">
          <Text testId="review-subtotal">{formatMoney(review.subtotal, currency, locale)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Tax">
          <Text testId="review-tax">
            {review.tax === null || review.tax === undefined ? 'Added by QuickBooks when it saves the invoice'
              : formatMoney(review.tax, currency, locale)}
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label="Total">
          <Text testId="review-total" format={{ fontWeight: 'bold' }}>{formatMoney(review.total, currency, locale)}</Text>
        </DescriptionListItem>
      </DescriptionList>
      {review.tax_note ? <Text variant="microcopy" testId="review-tax-note">{review.tax_note}</Text> : null}
      {review.doc_number_note ? <Text variant="microcopy">{review.doc_number_note}</Text> : null}
      {review.customer_message ? <Text variant="microcopy">Message: {review.customer_message}</Text> : null}
    </Flex>
  );
}
