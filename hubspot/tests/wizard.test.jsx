import { describe, expect, it } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import {
  Alert, Button, DateInput, Flex, Input, Link, NumberInput, Panel, PanelBody, PanelFooter, PanelSection, RadioButton, Select, StepIndicator, Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { InvoiceWizard } from '../src/app/cards/components/InvoiceWizard.jsx';
import { InvoicesCardView } from '../src/app/cards/components/InvoicesCardView.jsx';
import { deferred, installBackend, problem, textOf } from './helpers.js';
import {
  cardData, createdInvoice, CUSTOMER, invoiceOptions, ITEM, QUOTE, review, suggestions, UK, US, wizardStart,
} from './fixtures.js';

const SUBMISSION_ID = /^[A-Za-z0-9_-]{8,64}$/;

function routesFor({ start = wizardStart(), company = US, options, extra = {} } = {}) {
  return {
    'GET /app/deals/123/invoice-wizard': start,
    [`GET /app/qbo/${company.realm_id}/invoice-options`]: options ?? invoiceOptions(company),
    [`GET /app/qbo/${company.realm_id}/customer-suggestions`]: suggestions(),
    'POST /app/deals/123/invoice-review': review(),
    ...extra,
  };
}

function renderWizard(routes) {
  const backend = installBackend(routes);
  const renderer = createRenderer('crm.record.tab');
  const events = { created: [], previewed: [], closed: 0 };
  renderer.render(
    <InvoiceWizard api={backend.api} dealId="123" onCreated={(answer) => events.created.push(answer)}
      onPreview={(invoice) => events.previewed.push(invoice)} onClose={() => { events.closed += 1; }} />,
  );
  const w = {
    ...renderer, backend, events,
    step: (name) => renderer.waitFor(() => renderer.findByTestId(Flex, `wizard-step-${name}`)),
    stepNames: () => renderer.find(StepIndicator).props.stepNames,
    click: (testId) => renderer.findByTestId(Button, testId).trigger('onClick'),
    next: async () => {
      await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'wizard-next').props.disabled).toBe(false));
      renderer.findByTestId(Button, 'wizard-next').trigger('onClick');
    },
    radio: (testId) => renderer.findByTestId(RadioButton, testId).trigger('onChange', true),
  };
  return w;
}

/** From the customer step of a one-company wizard to the review step. */
async function customerToReview(w) {
  await w.waitFor(() => w.findByTestId(Button, `suggestion-${CUSTOMER.customer_id}`));
  w.click(`suggestion-${CUSTOMER.customer_id}`);
  await w.next();
  await w.step('lines');
  if (w.maybeFindByTestId(Text, 'no-lines')) {
    w.findByTestId(Input, 'item-search').trigger('onChange', 'cons');
    w.click('item-search-button');
    await w.waitFor(() => w.findByTestId(Button, `add-item-${ITEM.item_id}`));
    w.click(`add-item-${ITEM.item_id}`);
  }
  await w.next();
  await w.step('details');
  await w.next();
  await w.step('review');
}

describe('create-invoice wizard', () => {
  it('keeps Back and Continue in the panel\'s sticky footer, the step in the panel body', async () => {
    const w = renderWizard(routesFor());
    await w.step('source');
    const footer = w.find(PanelFooter);
    expect(footer.find(Button, { testId: 'wizard-back' })).toBeTruthy();
    expect(footer.find(Button, { testId: 'wizard-next' })).toBeTruthy();
    expect(w.find(PanelBody).find(PanelSection).find(Flex, { testId: 'wizard-step-source' })).toBeTruthy();
    expect(footer.maybeFind(Flex, { testId: 'wizard-step-source' })).toBeNull();
  });

  it('skips the company step for one company and builds the invoice from a quote (US: no tax step)', async () => {
    const w = renderWizard(routesFor({ extra: {
      [`GET /app/deals/123/quotes/${QUOTE.quote_id}/invoice-lines`]: {
        quote_id: QUOTE.quote_id,
        lines: [{ item_id: '30', item_name: 'Design', quantity: '10', rate: '100', description: 'Design work',
          tax_code_id: null, source_line_item_id: '7001' }],
        unmapped: [{ line_item_id: '7002', name: 'Travel', reason: 'No QuickBooks product has SKU TRV.' }],
        customer_suggestions: [],
      },
    } }));
    await w.step('source');
    expect(w.maybeFindByTestId(Flex, 'wizard-step-company')).toBeNull();
    expect(w.stepNames()).toEqual(['Start from', 'Customer', 'Products', 'Terms and dates', 'Review']);

    w.radio(`source-quote-${QUOTE.quote_id}`);
    await w.next();
    await w.step('customer');
    expect(w.backend.callsTo('GET', `/app/deals/123/quotes/${QUOTE.quote_id}/invoice-lines`)[0].query)
      .toEqual({ realmId: US.realm_id });
    await w.waitFor(() => w.findByTestId(Button, 'suggestion-58'));
    expect(w.backend.callsTo('GET', `/app/qbo/${US.realm_id}/customer-suggestions`)[0].query)
      .toEqual({ dealId: '123', quoteId: QUOTE.quote_id });
    expect(textOf(w.findByTestId(Flex, 'wizard-step-customer'))).toContain('Why: Same email as the deal contact');
    w.click('suggestion-58');
    await w.next();

    await w.step('lines');
    expect(textOf(w.findByTestId(Alert, 'unmapped-lines'))).toContain('Travel: No QuickBooks product has SKU TRV.');
    expect(w.findByTestId(NumberInput, 'line-quantity-0').props.value).toBe(10);
    expect(w.findByTestId(Input, 'line-description-0').props.value).toBe('Design work');
    await w.next();

    await w.step('details');
    expect(w.findByTestId(Select, 'terms').props.value).toBe('3');
    expect(w.findByTestId(DateInput, 'invoice-date').props.value).toEqual({ year: 2026, month: 8, date: 15 });
    w.findByTestId(TextArea, 'customer-message').trigger('onChange', 'Thank you for your business.');
    await w.next();

    await w.step('review');
    expect(w.backend.callsTo('POST', '/app/deals/123/invoice-review')[0].body).toEqual({
      realm_id: US.realm_id, customer_id: '58',
      lines: [{ item_id: '30', quantity: '10', rate: '100', description: 'Design work', tax_code_id: null }],
      term_id: '3', invoice_date: '2026-09-15', due_date: null, customer_message: 'Thank you for your business.',
      quote_id: QUOTE.quote_id,
    });
    // Totals come from the API (the lines alone would make $1,000.00).
    expect(textOf(w.findByTestId(Text, 'review-subtotal'))).toBe('$1,234.50');
    expect(textOf(w.findByTestId(Text, 'review-total'))).toBe('$1,234.50');
    expect(textOf(w.findByTestId(Text, 'review-tax'))).toBe('Added by QuickBooks when it saves the invoice');
  });

  it('asks for the company when several are connected, and adds the tax step for a non-US company', async () => {
    const w = renderWizard(routesFor({
      start: wizardStart({ companies: [US, UK], selected_realm_id: null, quotes: [] }),
      company: UK,
      extra: {
        [`GET /app/qbo/${UK.realm_id}/items`]: [{ ...ITEM, default_tax_code_id: null }],
        'POST /app/deals/123/invoice-review': review({ currency: 'GBP', subtotal: '150.00', tax: '30.00', total: '180.00',
          tax_note: null }),
      },
    }));
    await w.step('company');
    expect(w.stepNames()).toEqual(['Company', 'Customer', 'Products', 'Terms and dates', 'Review']);
    w.radio(`company-${UK.realm_id}`);
    await w.next();

    await w.step('customer');
    expect(w.stepNames()).toEqual(['Company', 'Customer', 'Products', 'Tax', 'Terms and dates', 'Review']);
    await w.waitFor(() => w.findByTestId(Button, 'suggestion-58'));
    expect(w.backend.callsTo('GET', `/app/qbo/${UK.realm_id}/customer-suggestions`)[0].query).toEqual({ dealId: '123' });
    w.click('suggestion-58');
    await w.next();

    await w.step('lines');
    w.findByTestId(Input, 'item-search').trigger('onChange', 'cons');
    w.click('item-search-button');
    await w.waitFor(() => w.findByTestId(Button, 'add-item-12'));
    expect(w.backend.callsTo('GET', `/app/qbo/${UK.realm_id}/items`)[0].query).toEqual({ search: 'cons' });
    w.click('add-item-12');
    await w.waitFor(() => w.findByTestId(NumberInput, 'line-rate-0'));
    expect(w.findByTestId(NumberInput, 'line-rate-0').props.value).toBe(150);
    w.findByTestId(NumberInput, 'line-quantity-0').trigger('onChange', 2);
    await w.next();

    await w.step('tax');
    expect(w.findByTestId(Button, 'wizard-next').props.disabled).toBe(true);
    w.findByTestId(Select, 'tax-all').trigger('onChange', '2');
    await w.next();
    await w.step('details');
    await w.next();

    await w.step('review');
    const body = w.backend.callsTo('POST', '/app/deals/123/invoice-review')[0].body;
    expect(body.realm_id).toBe(UK.realm_id);
    expect(body.quote_id).toBeNull();
    expect(body.lines).toEqual([{ item_id: '12', quantity: '2', rate: '150', description: 'Senior consulting', tax_code_id: '2' }]);
    expect(textOf(w.findByTestId(Text, 'review-tax'))).toBe('£30.00');
    expect(textOf(w.findByTestId(Text, 'review-total'))).toBe('£180.00');
  });

  it('starts from scratch when asked, even if the deal has quotes', async () => {
    const w = renderWizard(routesFor());
    await w.step('source');
    w.radio('source-scratch');
    await w.next();
    await w.step('customer');
    await w.waitFor(() => w.findByTestId(Button, 'suggestion-58'));
    expect(w.backend.callsTo('GET', `/app/qbo/${US.realm_id}/customer-suggestions`)[0].query).toEqual({ dealId: '123' });
    w.click('suggestion-58');
    await w.next();
    await w.step('lines');
    expect(w.findByTestId(Text, 'no-lines')).toBeTruthy();
    expect(w.backend.calls.some((c) => c.path.includes('/quotes/'))).toBe(false);
  });

  it('creates a new customer from the prefilled form, with its own submission id', async () => {
    const w = renderWizard(routesFor({ start: wizardStart({ quotes: [] }), extra: {
      [`POST /app/qbo/${US.realm_id}/customers`]: { customer: { customer_id: '77', display_name: 'Globex Corp (2)' },
        renamed: true, notice: 'A customer called "Globex Corp" already exists, so this one is "Globex Corp (2)".' },
    } }));
    await w.step('customer');
    await w.waitFor(() => w.findByTestId(Button, 'new-customer'));
    expect(w.findByTestId(Button, 'suggestion-58')).toBeTruthy(); // the button shows once suggestions are in
    w.click('new-customer');
    await w.waitFor(() => w.findByTestId(Input, 'new-customer-name'));
    expect(w.findByTestId(Input, 'new-customer-name').props.value).toBe('Globex Corp');
    w.click('new-customer-create');
    await w.waitFor(() => w.findByTestId(Alert, 'customer-notice'));
    const body = w.backend.callsTo('POST', `/app/qbo/${US.realm_id}/customers`)[0].body;
    expect(body).toMatchObject({ display_name: 'Globex Corp', company_name: 'Globex Corp', email: 'ap@globex.example' });
    expect(body.submission_id).toMatch(SUBMISSION_ID);
    expect(Object.keys(body)).not.toContain('given_name'); // empty fields are left out
    expect(textOf(w.findByTestId(Text, 'selected-customer'))).toContain('Globex Corp (2)');
    expect(w.findByTestId(Button, 'wizard-next').props.disabled).toBe(false);
  });

  it('sends one submission id: a double click makes one request and a retry reuses the id', async () => {
    const firstAttempt = deferred();
    let attempt = 0;
    const w = renderWizard(routesFor({ start: wizardStart({ quotes: [] }), extra: {
      [`GET /app/qbo/${US.realm_id}/items`]: [ITEM],
      'POST /app/deals/123/invoices': () => {
        attempt += 1;
        return attempt === 1
          ? firstAttempt.promise.then(() => problem(502, 'upstream_error', 'QuickBooks did not answer in time. Try again.'))
          : createdInvoice();
      },
    } }));
    await w.step('customer');
    await customerToReview(w);

    w.click('wizard-create');
    w.click('wizard-create'); // double click while the first request is in flight
    await w.waitFor(() => expect(w.findByTestId(Button, 'wizard-create').props.disabled).toBe(true));
    expect(w.backend.callsTo('POST', '/app/deals/123/invoices')).toHaveLength(1);
    firstAttempt.resolve();
    await w.waitFor(() => w.findByTestId(Alert, 'wizard-error'));
    expect(textOf(w.findByTestId(Alert, 'wizard-error'))).toContain('QuickBooks did not answer in time. Try again.');
    expect(textOf(w.findByTestId(Button, 'wizard-create'))).toBe('Try again');

    w.click('wizard-create');
    await w.step('done');
    const [first, second] = w.backend.callsTo('POST', '/app/deals/123/invoices');
    expect(first.body.submission_id).toMatch(SUBMISSION_ID);
    expect(second.body.submission_id).toBe(first.body.submission_id);
    expect(second.body).toMatchObject({ realm_id: US.realm_id, customer_id: '58', quote_id: null });

    expect(textOf(w.findByTestId(Alert, 'wizard-success'))).toContain('Invoice 1042 for Globex Corp ($1,234.50)');
    expect(w.findByTestId(Link, 'created-qbo-link').props.href)
      .toEqual({ url: 'https://app.qbo.intuit.com/app/invoice?txnId=205', external: true });
    w.click('created-preview');
    expect(w.events.previewed[0].invoice_id).toBe('205');
    expect(w.events.created).toHaveLength(1);
    w.click('wizard-done');
    expect(w.events.closed).toBe(1);
  });

  it('shows every problem the review finds and stays on the step', async () => {
    const w = renderWizard(routesFor({ start: wizardStart({ quotes: [] }), extra: {
      [`GET /app/qbo/${US.realm_id}/items`]: [ITEM],
      'POST /app/deals/123/invoice-review': problem(422, 'invalid_invoice',
        'Please fix the invoice: The due date is before the invoice date.; Consulting hour is inactive in QuickBooks.',
        [{ field: 'due_date', message: 'The due date is before the invoice date.' },
          { field: 'lines.0.item_id', message: 'Consulting hour is inactive in QuickBooks.' }]),
    } }));
    await w.step('customer');
    await w.waitFor(() => w.findByTestId(Button, 'suggestion-58'));
    w.click('suggestion-58');
    await w.next();
    await w.step('lines');
    w.click('item-search-button');
    await w.waitFor(() => w.findByTestId(Button, 'add-item-12'));
    w.click('add-item-12');
    await w.next();
    await w.step('details');
    await w.next();
    await w.waitFor(() => w.findByTestId(Alert, 'wizard-error'));
    const text = textOf(w.findByTestId(Alert, 'wizard-error'));
    expect(text).toContain('The due date is before the invoice date.');
    expect(text).toContain('lines.0.item_id: Consulting hour is inactive in QuickBooks.');
    expect(w.findByTestId(Flex, 'wizard-step-details')).toBeTruthy();
  });

  it('stops with the reason when the only company cannot take invoices', async () => {
    const w = renderWizard(routesFor({ options: invoiceOptions(US, { can_create_invoices: false,
      blocked_reason: 'Acme US uses custom transaction numbers; opt in to HubBooks numbering in the app settings.' }) }));
    await w.step('blocked');
    expect(textOf(w.findByTestId(Alert, 'wizard-error'))).toContain('opt in to HubBooks numbering');
  });

  it('opens from the card: each panel opening is a new wizard run with a new submission id', async () => {
    const backend = installBackend({
      'GET /app/cards/deal/123': cardData(),
      ...routesFor({ start: wizardStart({ quotes: [] }), extra: {
        [`GET /app/qbo/${US.realm_id}/items`]: [ITEM],
        'POST /app/deals/123/invoices': createdInvoice(),
      } }),
    });
    const card = createRenderer('crm.record.tab');
    card.mocks.context.crm.objectTypeId = '0-3';
    card.mocks.context.crm.objectId = 123;
    card.render(<InvoicesCardView context={card.mocks.context} actions={card.mocks.actions} api={backend.api} />);
    await card.waitFor(() => card.find(Panel, { id: 'hubbooks-create-invoice' }));
    expect(backend.callsTo('GET', '/app/deals/123/invoice-wizard')).toHaveLength(0); // nothing until opened

    const w = { ...card, backend, step: (name) => card.waitFor(() => card.findByTestId(Flex, `wizard-step-${name}`)),
      click: (id) => card.findByTestId(Button, id).trigger('onClick'),
      next: async () => {
        await card.waitFor(() => expect(card.findByTestId(Button, 'wizard-next').props.disabled).toBe(false));
        card.findByTestId(Button, 'wizard-next').trigger('onClick');
      } };
    const runOnce = async () => {
      card.find(Panel, { id: 'hubbooks-create-invoice' }).trigger('onOpen');
      await w.step('customer');
      await customerToReview(w);
      w.click('wizard-create');
      await w.step('done');
      w.click('wizard-done');
      card.find(Panel, { id: 'hubbooks-create-invoice' }).trigger('onClose');
      await card.waitFor(() => expect(card.maybeFindByTestId(Flex, 'wizard-step-done')).toBeNull());
    };
    await runOnce();
    await runOnce();
    const ids = backend.callsTo('POST', '/app/deals/123/invoices').map((c) => c.body.submission_id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
    expect(card.mocks.actions.closeOverlay.calls).toContainEqual(['hubbooks-create-invoice']);
    await card.waitFor(() => expect(backend.callsTo('GET', '/app/cards/deal/123').length).toBeGreaterThanOrEqual(3));
    // Each creation: the deal's HubBooks properties refresh on the page, and the card says what was done.
    expect(card.mocks.actions.refreshObjectProperties.calls).toHaveLength(2);
    await card.waitFor(() => card.findByTestId(Alert, 'card-notice'));
    expect(textOf(card.findByTestId(Alert, 'card-notice'))).toContain('Invoice 1042 was created in QuickBooks and linked.');
  });
});
