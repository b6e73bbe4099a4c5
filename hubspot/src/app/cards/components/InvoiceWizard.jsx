import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert, Button, Flex, Link, LoadingSpinner, PanelBody, PanelFooter, PanelSection, StepIndicator, Text,
} from '@hubspot/ui-extensions';
import { describeError, newSubmissionId } from '@hubbooks/ui-shared/api';
import { formatMoney, toNumber } from '@hubbooks/ui-shared/format';
import { CompanyStep, CustomerStep, DetailsStep, LinesStep, ReviewStep, SourceStep, TaxStep } from './wizardSteps.jsx';

const STEP_LABELS = {
  company: 'Company', source: 'Start from', customer: 'Customer', lines: 'Products', tax: 'Tax',
  details: 'Terms and dates', review: 'Review',
};

let lineCounter = 0;
const lineKey = () => `line-${++lineCounter}`;

function fromDraftLine(line) {
  return { key: lineKey(), item_id: line.item_id, item_name: line.item_name, quantity: toNumber(line.quantity) ?? 1,
    rate: toNumber(line.rate) ?? 0, description: line.description ?? '', tax_code_id: line.tax_code_id ?? null };
}

/**
 * The create-invoice wizard: company -> quote or scratch -> customer -> products -> tax (outside the US) ->
 * terms and dates -> review -> create. One submission id per wizard run: retries and double clicks reuse it,
 * so the backend makes at most one invoice.
 */
export function InvoiceWizard({ api, dealId, locale, onPreview, onCreated, onSubmitted, onClose }) {
  const [submissionId] = useState(() => newSubmissionId());
  const customerSubmissionId = useRef(newSubmissionId());
  const creating = useRef(false);

  const [start, setStart] = useState(null);
  const [step, setStep] = useState('loading');
  const [realmId, setRealmId] = useState(null);
  const [options, setOptions] = useState(null);
  const [source, setSource] = useState(null);
  const [unmapped, setUnmapped] = useState([]);
  const [suggestions, setSuggestions] = useState({ loading: false, list: [], newCustomer: null });
  const [customerResults, setCustomerResults] = useState(null);
  const [customer, setCustomer] = useState(null);
  const [customerNotice, setCustomerNotice] = useState(null);
  const [lines, setLines] = useState([]);
  const [itemResults, setItemResults] = useState(null);
  const [details, setDetails] = useState({ termId: null, invoiceDate: null, dueDate: null, message: '' });
  const [review, setReview] = useState(null);
  const [created, setCreated] = useState(null);
  const [approval, setApproval] = useState({ required: false, submitted: null });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);

  const run = useCallback(async (work) => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (problem) {
      setError(problem);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);

  const companies = start?.companies ?? [];
  const quotes = start?.quotes ?? [];
  const skipCompany = Boolean(start?.selected_realm_id) || companies.length === 1;
  const steps = useMemo(() => {
    const list = [];
    if (!skipCompany) list.push('company');
    if (quotes.length > 0) list.push('source');
    list.push('customer', 'lines');
    if (options?.tax_required) list.push('tax');
    list.push('details', 'review');
    return list;
  }, [skipCompany, quotes.length, options?.tax_required]);

  const company = companies.find((c) => c.realm_id === realmId);
  const currency = customer?.currency || options?.home_currency || company?.home_currency;

  // ---- loading steps' data
  const loadOptions = useCallback(async (realm) => {
    const loaded = await api.invoiceOptions(realm);
    setOptions(loaded);
    setDetails((current) => ({ ...current, termId: loaded.default_term_id ?? null, invoiceDate: loaded.today ?? null }));
    return loaded;
  }, [api]);

  const loadSuggestions = useCallback(async (realm, quoteId) => {
    setSuggestions({ loading: true, list: [], newCustomer: null });
    try {
      const answer = await api.customerSuggestions(realm, { dealId, quoteId });
      setSuggestions({ loading: false, list: answer?.suggestions ?? [], newCustomer: answer?.new_customer ?? null });
    } catch (problem) {
      setSuggestions({ loading: false, list: [], newCustomer: null });
      setError(problem);
    }
  }, [api, dealId]);

  const enterSourceOrCustomer = useCallback(async (realm) => {
    if (quotes.length > 0) {
      setStep('source');
    } else {
      setSource({ kind: 'scratch' });
      setStep('customer');
      await loadSuggestions(realm, undefined);
    }
  }, [quotes.length, loadSuggestions]);

  const chooseCompany = useCallback(async (realm) => {
    setRealmId(realm);
    const loaded = await loadOptions(realm);
    if (!loaded.can_create_invoices) {
      setError({ message: loaded.blocked_reason || 'Invoices cannot be created in this QuickBooks company yet.' });
      setStep(skipCompany ? 'blocked' : 'company');
      return;
    }
    await enterSourceOrCustomer(realm);
  }, [loadOptions, enterSourceOrCustomer, skipCompany]);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const answer = await api.wizardStart(dealId);
        if (cancelled) return;
        setStart(answer);
      } catch (problem) {
        if (!cancelled) { setError(problem); setStep('failed'); }
      }
    })();
    return () => { cancelled = true; };
  }, [api, dealId]);

  useEffect(() => {
    if (!start || step !== 'loading') return;
    if (start.companies.length === 0) {
      setError({ message: 'No QuickBooks company is connected. Connect one in the HubBooks settings first.' });
      setStep('failed');
      return;
    }
    const only = start.selected_realm_id || (start.companies.length === 1 ? start.companies[0].realm_id : null);
    if (only) {
      // If the company's options cannot be loaded, say so instead of spinning.
      run(() => chooseCompany(only)).then(() => setStep((current) => (current === 'loading' ? 'failed' : current)));
    } else {
      const first = start.companies.find((c) => c.can_create_invoices);
      setRealmId(first?.realm_id ?? null);
      setStep('company');
    }
  }, [start, step, run, chooseCompany]);

  // ---- step transitions
  const previousStep = () => {
    setError(null);
    const index = steps.indexOf(step);
    if (index > 0) setStep(steps[index - 1]);
  };

  const next = () => run(async () => {
    switch (step) {
      case 'company':
        await chooseCompany(realmId);
        return;
      case 'source':
        if (source?.kind === 'quote') {
          const answer = await api.quoteLines(dealId, source.quoteId, realmId);
          setLines((answer.lines ?? []).map(fromDraftLine));
          setUnmapped(answer.unmapped ?? []);
        } else {
          setLines([]);
          setUnmapped([]);
        }
        setCustomer(null);
        setCustomerResults(null);
        setStep('customer');
        await loadSuggestions(realmId, source?.kind === 'quote' ? source.quoteId : undefined);
        return;
      case 'customer':
        setStep('lines');
        return;
      case 'lines':
        setStep(options?.tax_required ? 'tax' : 'details');
        return;
      case 'tax':
        setStep('details');
        return;
      case 'details': {
        setReview(null);
        const reviewed = await api.reviewInvoice(dealId, buildDraft());
        // With approval on, the last button submits a request instead (the create route would refuse it).
        const settings = await api.approvalSettings(realmId).catch(() => null);
        setApproval((a) => ({ ...a, required: Boolean(settings?.required) }));
        setReview(reviewed);
        setStep('review');
        return;
      }
      default:
    }
  });

  const buildDraft = () => ({
    realm_id: realmId,
    customer_id: customer.customer_id,
    lines: lines.map((line) => ({
      item_id: line.item_id,
      quantity: String(line.quantity),
      rate: String(line.rate),
      description: line.description ? line.description : null,
      tax_code_id: options?.tax_required ? line.tax_code_id : null,
    })),
    term_id: details.termId || null,
    invoice_date: details.invoiceDate || null,
    due_date: details.dueDate || null,
    customer_message: details.message ? details.message : null,
    quote_id: source?.kind === 'quote' ? source.quoteId : null,
  });

  const create = async () => {
    if (creating.current) return; // a second click while the first is in flight does nothing
    creating.current = true;
    try {
      await run(async () => {
        const submission = { ...buildDraft(), submission_id: submissionId };
        if (approval.required) {
          const answer = await api.submitForApproval(dealId, submission);
          setApproval((a) => ({ ...a, submitted: answer }));
          setStep('submitted');
          onSubmitted?.(answer);
          return;
        }
        const answer = await api.createInvoice(dealId, submission);
        setCreated(answer);
        setStep('done');
        onCreated?.(answer);
      });
    } finally {
      creating.current = false;
    }
  };

  // ---- customer and product actions
  const searchCustomers = (text) => run(async () => {
    setCustomerResults(await api.searchCustomers(realmId, text));
  });
  const createCustomer = (form, done) => run(async () => {
    const body = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v])
      .filter(([, v]) => v !== '' && v !== null && v !== undefined));
    const answer = await api.createCustomer(realmId, { ...body, submission_id: customerSubmissionId.current });
    customerSubmissionId.current = newSubmissionId(); // the next new customer is a new submission
    setCustomer(answer.customer);
    setCustomerNotice(answer.renamed || answer.notice
      ? (answer.notice || `Created as "${answer.customer.display_name}" because the name was taken.`) : null);
    done();
  });
  const searchItems = (text) => run(async () => {
    setItemResults(await api.searchItems(realmId, text));
  });
  const addItem = (item) => {
    setLines((current) => [...current, {
      key: lineKey(), item_id: item.item_id, item_name: item.name, quantity: 1, rate: toNumber(item.unit_price) ?? 0,
      description: item.description ?? '', tax_code_id: item.default_tax_code_id ?? null,
    }]);
  };
  const changeLine = (index, patch) => setLines((current) => current.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  const removeLine = (index) => setLines((current) => current.filter((_, i) => i !== index));

  // ---- what may continue
  const canContinue = (() => {
    switch (step) {
      case 'company': return Boolean(company?.can_create_invoices);
      case 'source': return Boolean(source);
      case 'customer': return Boolean(customer);
      case 'lines': return lines.length > 0 && lines.every((l) => (toNumber(l.quantity) ?? 0) > 0 && (toNumber(l.rate) ?? -1) >= 0);
      case 'tax': return lines.every((l) => l.tax_code_id);
      case 'details': return Boolean(details.invoiceDate);
      default: return false;
    }
  })();

  // ---- rendering
  if (step === 'loading') {
    return (
      <PanelBody>
        <PanelSection>
          <LoadingSpinner label="Getting the invoice ready" layout="centered" testId="wizard-loading" />
        </PanelSection>
      </PanelBody>
    );
  }
  if (step === 'failed' || step === 'blocked') {
    return (
      <>
        <PanelBody>
          <PanelSection>
            <Flex direction="column" gap="sm" testId={`wizard-step-${step}`}>
              <Alert title="An invoice cannot be created" variant="danger" testId="wizard-error">{describeError(error)}</Alert>
            </Flex>
          </PanelSection>
        </PanelBody>
        <PanelFooter>
          <Button onClick={onClose}>Close</Button>
        </PanelFooter>
      </>
    );
  }
  if (step === 'submitted') {
    const { request, warnings } = approval.submitted;
    return (
      <>
        <PanelBody>
          <PanelSection>
            <Flex direction="column" gap="sm" testId="wizard-step-submitted">
              <Alert title="Sent for approval" variant="success" testId="wizard-submitted">
                The invoice for {request.review.customer.display_name} ({formatMoney(request.review.total, request.review.currency, locale)})
                is awaiting approval. The approvers have a HubSpot task; it is created in QuickBooks once one of them
                approves, and shows on this deal meanwhile.
              </Alert>
              {(warnings ?? []).map((warning) => <Alert key={warning} title="Please note" variant="warning">{warning}</Alert>)}
            </Flex>
          </PanelSection>
        </PanelBody>
        <PanelFooter>
          <Flex gap="sm" justify="end">
            <Button variant="primary" onClick={onClose} testId="wizard-done">Done</Button>
          </Flex>
        </PanelFooter>
      </>
    );
  }
  if (step === 'done') {
    const invoice = created.invoice;
    return (
      <>
        <PanelBody>
          <PanelSection>
            <Flex direction="column" gap="sm" testId="wizard-step-done">
              <Alert title="Invoice created" variant="success" testId="wizard-success">
                Invoice {invoice.number || invoice.invoice_id} for {invoice.customer} ({formatMoney(invoice.amount, invoice.currency, locale)})
                was created in {invoice.company_name} and linked to this deal.
              </Alert>
              {(created.warnings ?? []).map((warning) => <Alert key={warning} title="Please note" variant="warning">{warning}</Alert>)}
              <Link href={{ url: invoice.qbo_url, external: true }} testId="created-qbo-link">Open in QuickBooks</Link>
            </Flex>
          </PanelSection>
        </PanelBody>
        <PanelFooter>
          <Flex gap="sm" justify="end">
            {onPreview ? <Button onClick={() => onPreview(invoice)} testId="created-preview">Preview</Button> : null}
            <Button variant="primary" onClick={onClose} testId="wizard-done">Done</Button>
          </Flex>
        </PanelFooter>
      </>
    );
  }

  const index = steps.indexOf(step);
  const fieldProblems = error?.fields?.length ? error.fields : [];
  return (
    <>
      <PanelBody>
        <PanelSection>
          <Flex direction="column" gap="md" testId="wizard">
            <StepIndicator stepNames={steps.map((s) => STEP_LABELS[s])} currentStep={index} testId="wizard-steps" />
            {start?.deal_name ? <Text variant="microcopy">Deal: {start.deal_name}{company ? ` · ${company.company_name}` : ''}</Text> : null}
            {(start?.warnings ?? []).map((warning) => (
              <Alert key={warning} title="An earlier submission" variant="warning" testId="wizard-earlier-submission">{warning}</Alert>
            ))}
            {error ? (
              <Alert title={step !== 'review' ? 'Please check' : approval.required ? 'The request was not sent' : 'The invoice was not created'} variant="danger" testId="wizard-error">
                {describeError(error)}
                {fieldProblems.length > 1 ? fieldProblems.map((f) => <Text key={`${f.field}-${f.message}`}>{f.field}: {f.message}</Text>) : null}
              </Alert>
            ) : null}
            <Flex direction="column" gap="sm" testId={`wizard-step-${step}`}>
              {step === 'company' ? <CompanyStep companies={companies} realmId={realmId} onSelect={setRealmId} /> : null}
              {step === 'source' ? <SourceStep quotes={quotes} source={source} onSelect={setSource} /> : null}
              {step === 'customer' ? (
                <CustomerStep suggestions={suggestions.list} loading={suggestions.loading} customer={customer}
                  onSelect={(c) => { setCustomer(c); setCustomerNotice(null); }} onSearch={searchCustomers}
                  searchResults={customerResults} newCustomer={suggestions.newCustomer} onCreate={createCustomer}
                  creating={busy} notice={customerNotice} />
              ) : null}
              {step === 'lines' ? (
                <LinesStep lines={lines} unmapped={unmapped} currency={currency} locale={locale} onChange={changeLine}
                  onRemove={removeLine} onSearchItems={searchItems} itemResults={itemResults} onAddItem={addItem} />
              ) : null}
              {step === 'tax' ? <TaxStep lines={lines} options={options} onChange={changeLine} /> : null}
              {step === 'details' ? (
                <DetailsStep options={options} details={details} onChange={(patch) => setDetails((d) => ({ ...d, ...patch }))} />
              ) : null}
              {step === 'review' && review ? <ReviewStep review={review} locale={locale} /> : null}
              {step === 'review' && approval.required ? (
                <Text variant="microcopy" testId="wizard-needs-approval">
                  Invoices for this company need an approver's yes: this sends a request, and the invoice is created
                  in QuickBooks once approved.
                </Text>
              ) : null}
            </Flex>
            {busy ? <LoadingSpinner label="Working" size="sm" testId="wizard-busy" /> : null}
          </Flex>
        </PanelSection>
      </PanelBody>
      {/* Sticky: Back and Continue stay in view however long the step is. */}
      <PanelFooter>
        <Flex gap="sm" justify="between" testId="wizard-footer">
          <Button variant="secondary" onClick={previousStep} disabled={busy || index <= 0} testId="wizard-back">Back</Button>
          {step === 'review' ? (
            <Button variant="primary" onClick={create} disabled={busy || !review} testId="wizard-create">
              {error ? 'Try again' : approval.required ? 'Submit for approval' : 'Create invoice'}
            </Button>
          ) : (
            <Button variant="primary" onClick={next} disabled={busy || !canContinue} testId="wizard-next">Continue</Button>
          )}
        </Flex>
      </PanelFooter>
    </>
  );
}
