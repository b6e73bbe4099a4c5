// Invoicing tab, per company: link invoices made in QuickBooks to the contact or company their customer is linked
// to (off by default; admins switch it), and a backfill of a date range: a dry run first (counts and examples),
// then the run, with progress, both going through the sync queue in the backend.
import React, { useEffect, useState } from 'react';
import { Alert, Button, DateInput, Flex, List, LoadingSpinner, ProgressBar, Text, Toggle } from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';
import { dateValueToIso, plural } from '@hubbooks/ui-shared/format';

const COUNT_LABELS = [
  ['invoices_to_link', 'invoice', 'to link', 'linked'],
  ['customer_not_linked', 'invoice', 'whose customer is on no contact or company', null],
  ['already_linked', 'invoice', 'already where they belong', null],
];

function RunSummary({ realmId, run, percent }) {
  const done = run.status === 'done';
  const counts = run.counts ?? {};
  return (
    <Flex direction="column" gap="xs" testId={`invoice-backfill-${realmId}`}>
      <Text format={{ fontWeight: 'demibold' }}>
        {run.dry_run ? 'Dry run' : 'Backfill'} of invoices dated {run.date_from} to {run.date_to}: {run.status}
      </Text>
      {!done && run.status !== 'cancelled' && run.status !== 'failed'
        ? <ProgressBar value={percent} maxValue={100} showPercentage title="Invoices read" /> : null}
      {COUNT_LABELS.map(([kind, noun, text, doneText]) => (
        <Text key={kind} testId={`invoice-backfill-${kind}-${realmId}`}>
          {plural(counts[kind] ?? 0, noun)} {run.dry_run || !doneText ? text : doneText}
        </Text>
      ))}
      {(run.examples?.invoices_to_link ?? []).length ? (
        <List variant="unordered-styled">
          {run.examples.invoices_to_link.map((example) => (
            <Text key={example.invoice_id} variant="microcopy">
              Invoice {example.doc_number ?? example.invoice_id} ({example.customer_name ?? 'customer'}) →{' '}
              {example.records.join(', ')}
            </Text>
          ))}
        </List>
      ) : null}
      {run.error ? <Alert title="The backfill stopped" variant="danger">{run.error}</Alert> : null}
    </Flex>
  );
}

export function AutoLinkSettings({ api, connection }) {
  const realmId = connection.realm_id;
  const [enabled, setEnabled] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const [range, setRange] = useState({ from: null, to: null });
  const [progress, setProgress] = useState(null);

  useEffect(() => {
    let cancelled = false;
    api.autolinkSettings(realmId).then((answer) => { if (!cancelled) setEnabled(Boolean(answer.enabled)); })
      .catch((error) => { if (!cancelled) setLoadError(error); });
    api.invoiceBackfill(realmId).then((answer) => { if (!cancelled) setProgress(answer); })
      .catch(() => {}); // none started yet (404): nothing to show
    return () => { cancelled = true; };
  }, [api, realmId]);

  const act = async (work) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (checked) => act(async () => {
    const answer = await api.saveAutolinkSettings(realmId, { enabled: checked });
    setEnabled(Boolean(answer.enabled));
  });
  const from = dateValueToIso(range.from);
  const to = dateValueToIso(range.to);
  const start = (dryRun) => act(async () => setProgress(await api.startInvoiceBackfill(realmId, { from, to, dryRun })));
  const refresh = () => act(async () => setProgress(await api.invoiceBackfill(realmId)));
  const cancel = () => act(async () => setProgress(await api.cancelInvoiceBackfill(realmId)));
  const running = progress && ['queued', 'running'].includes(progress.run.status);
  const dryRunDone = progress && progress.run.dry_run && progress.run.status === 'done'
    && progress.run.date_from === from && progress.run.date_to === to;

  return (
    <Flex direction="column" gap="xs" testId={`autolink-${realmId}`}>
      <Text format={{ fontWeight: 'demibold' }}>{connection.company_name}</Text>
      {loadError ? <Alert title="The setting could not be loaded" variant="danger">{describeError(loadError)}</Alert>
        : null}
      {enabled === null && !loadError ? <LoadingSpinner label="Loading" size="xs" /> : null}
      {enabled !== null ? (
        <>
          <Toggle label="Link invoices made in QuickBooks to their customer's contact and company"
            name={`autolink-${realmId}`} labelDisplay="inline" checked={enabled} readOnly={busy}
            testId={`autolink-toggle-${realmId}`} onChange={toggle} />
          <Text variant="microcopy">
            New and changed invoices follow by themselves. For older ones, pick their invoice dates, try a dry run,
            then link them.
          </Text>
          <Flex gap="sm" align="end">
            <DateInput label="Invoice date from" name={`autolink-from-${realmId}`} format="YYYY-MM-DD"
              value={range.from ?? undefined} testId={`autolink-from-${realmId}`}
              onChange={(value) => setRange((r) => ({ ...r, from: value }))} />
            <DateInput label="to" name={`autolink-to-${realmId}`} format="YYYY-MM-DD"
              value={range.to ?? undefined} testId={`autolink-to-${realmId}`}
              onChange={(value) => setRange((r) => ({ ...r, to: value }))} />
          </Flex>
          <Flex gap="sm" align="center">
            <Button onClick={() => start(true)} disabled={busy || running || !from || !to}
              testId={`autolink-dry-run-${realmId}`}>Dry run</Button>
            <Button variant="primary" onClick={() => start(false)}
              disabled={busy || running || !enabled || !dryRunDone} testId={`autolink-run-${realmId}`}>
              Link these invoices
            </Button>
            {running ? <Button onClick={refresh} disabled={busy} testId={`autolink-refresh-${realmId}`}>Refresh</Button>
              : null}
            {running ? <Button variant="destructive" onClick={cancel} disabled={busy}
              testId={`autolink-cancel-${realmId}`}>Cancel</Button> : null}
          </Flex>
          {!enabled ? (
            <Text variant="microcopy" testId={`autolink-off-${realmId}`}>
              Turn linking on to run the backfill itself; a dry run works without it.
            </Text>
          ) : null}
          {problem ? (
            <Alert title="That did not work" variant="danger" testId={`autolink-error-${realmId}`}>
              {describeError(problem)}
            </Alert>
          ) : null}
          {progress ? <RunSummary realmId={realmId} run={progress.run} percent={progress.percent} /> : null}
        </>
      ) : null}
    </Flex>
  );
}
