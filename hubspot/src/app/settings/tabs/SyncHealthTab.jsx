// Sync health: per company, what needs attention in plain words (reconciliation behind, dead-lettered work, failing
// records), the records that could not sync with the reason (retry one or all), matches waiting for an admin's
// decision, and the last scheduled runs.
import React, { useCallback, useEffect, useState } from 'react';
import {
  Alert, Button, EmptyState, Flex, Heading, LoadingSpinner, Table, TableBody, TableCell, TableHead, TableHeader,
  TableRow, Text,
} from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';

const OBJECT_TITLES = { contacts: 'Contacts', companies: 'Companies', products: 'Products' };

function FailingRecords({ api, realmId, health, reload, setNotice }) {
  const retry = async (object, qboId) => {
    try {
      const answer = await api.retrySync(realmId, object, qboId);
      setNotice({ ok: answer.still_failing.length === 0,
        text: answer.still_failing.length === 0 ? 'Retried: everything synced.'
          : `Retried ${answer.retried}; ${answer.still_failing.length} still failing.` });
    } catch (error) {
      setNotice({ ok: false, text: describeError(error) });
    }
    reload();
  };
  const failing = health.objects.filter((o) => o.failing.length > 0);
  if (failing.length === 0) return <Text testId={`no-failures-${realmId}`}>Every record synced.</Text>;
  return failing.map((o) => (
    <Flex key={o.object} direction="column" gap="xs" testId={`failing-${o.object}-${realmId}`}>
      <Flex gap="sm" align="center">
        <Text format={{ fontWeight: 'demibold' }}>{`${OBJECT_TITLES[o.object]}: ${o.failing.length} not synced`}</Text>
        <Button size="xs" onClick={() => retry(o.object, null)} testId={`retry-all-${o.object}-${realmId}`}>
          Retry all
        </Button>
      </Flex>
      <Table bordered={true}>
        <TableHead>
          <TableRow>
            <TableHeader>QuickBooks record</TableHeader>
            <TableHeader>Why it did not sync</TableHeader>
            <TableHeader>Attempts</TableHeader>
            <TableHeader>Retry</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {o.failing.map((f) => (
            <TableRow key={f.qbo_id} testId={`failure-${o.object}-${f.qbo_id}`}>
              <TableCell>{f.label}</TableCell>
              <TableCell>{f.reason}</TableCell>
              <TableCell>{f.attempts}</TableCell>
              <TableCell>
                <Button size="xs" onClick={() => retry(o.object, f.qbo_id)}
                  testId={`retry-${o.object}-${f.qbo_id}`}>Retry</Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  ));
}

function Decisions({ api, realmId, health, reload, setNotice }) {
  const settle = async (work, done) => {
    try {
      await work();
      setNotice({ ok: true, text: done });
    } catch (error) {
      setNotice({ ok: false, text: describeError(error) });
    }
    reload();
  };
  const choose = (object, qboId, hubspotId) => settle(() => api.resolveMatch(realmId, object, qboId, hubspotId),
    'Linked and synced.');
  // Decisions kept under "hs-<id>" are new HubSpot records whose candidates are QuickBooks records (two-way sync).
  const fromHubSpot = (d) => d.qbo_id.startsWith('hs-');
  const createNew = (object, qboId, label) => settle(() => api.resolveWithNewRecord(realmId, object, qboId),
    qboId.startsWith('hs-') ? `A new QuickBooks record was created for ${label}; later changes in HubSpot go to it.`
      : `A new HubSpot record was created for ${label}; later changes in QuickBooks go to it.`);
  const waiting = health.objects.flatMap((o) => o.decisions.map((d) => ({ ...d, object: o.object })));
  if (waiting.length === 0) return null;
  return (
    <Flex direction="column" gap="xs" testId={`decisions-${realmId}`}>
      <Text format={{ fontWeight: 'demibold' }}>Matches waiting for you</Text>
      {waiting.map((d) => (
        <Flex key={`${d.object}-${d.qbo_id}`} direction="column" gap="xs" testId={`decision-${d.object}-${d.qbo_id}`}>
          <Text>{`${d.qbo_label} matches ${d.candidates.length} ${fromHubSpot(d) ? 'QuickBooks' : 'HubSpot'} records `
            + `by ${d.matched_on}. Which one is it?`}</Text>
          <Flex gap="xs" wrap="wrap">
            {d.candidates.map((c) => (
              <Button key={c.hubspot_id} size="xs" onClick={() => choose(d.object, d.qbo_id, c.hubspot_id)}
                testId={`choose-${d.qbo_id}-${c.hubspot_id}`}>{`${c.label} (#${c.hubspot_id})`}</Button>
            ))}
            <Button size="xs" variant="secondary" onClick={() => createNew(d.object, d.qbo_id, d.qbo_label)}
              testId={`create-new-${d.object}-${d.qbo_id}`}>None of these: create a new record</Button>
          </Flex>
        </Flex>
      ))}
    </Flex>
  );
}

function CompanyHealth({ api, connection }) {
  const realmId = connection.realm_id;
  const [health, setHealth] = useState(null);
  const [problem, setProblem] = useState(null);
  const [notice, setNotice] = useState(null);

  const load = useCallback(async () => {
    try {
      setHealth(await api.syncHealth(realmId));
      setProblem(null);
    } catch (error) {
      setProblem(error);
    }
  }, [api, realmId]);
  useEffect(() => { load(); }, [load]);

  return (
    <Flex direction="column" gap="sm" testId={`health-${realmId}`}>
      <Heading>{connection.company_name}</Heading>
      {problem ? <Alert title="Sync health could not be loaded" variant="danger">{describeError(problem)}</Alert> : null}
      {!health && !problem ? <LoadingSpinner label="Loading sync health" size="xs" /> : null}
      {health ? (
        <>
          {health.objects.every((o) => !o.enabled) ? (
            <Text variant="microcopy" testId={`sync-off-${realmId}`}>
              Sync is off for this company; turn it on in the Contacts or Products tab.
            </Text>
          ) : null}
          {health.summary ? (
            <Alert title={health.healthy ? 'Up to date' : 'Needs attention'}
              variant={health.healthy ? 'success' : 'warning'} testId={`health-summary-${realmId}`}>
              {health.summary.join(' ')}
            </Alert>
          ) : null}
          {health.last_runs.map((run) => (
            <Text key={run.job} variant="microcopy" testId={`last-run-${run.job}-${realmId}`}>
              {`Last ${run.job === 'reconcile' ? 'check against QuickBooks' : run.job} ${new Date(run.finished_at)
                .toLocaleString()}: ${run.outcome}`}
            </Text>
          ))}
          <FailingRecords api={api} realmId={realmId} health={health} reload={load} setNotice={setNotice} />
          <Decisions api={api} realmId={realmId} health={health} reload={load} setNotice={setNotice} />
          {notice ? (
            <Alert title={notice.ok ? 'Done' : 'Not everything synced'} variant={notice.ok ? 'success' : 'warning'}
              testId={`health-notice-${realmId}`}>{notice.text}</Alert>
          ) : null}
        </>
      ) : null}
    </Flex>
  );
}

export function SyncHealthTab({ api, connections }) {
  const connected = connections.filter((c) => c.status === 'connected');
  if (connected.length === 0) {
    return (
      <EmptyState title="No QuickBooks company is connected" layout="vertical" testId="sync-health-tab">
        <Text>Connect one on the Connections tab; its sync health shows here.</Text>
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="md" testId="sync-health-tab">
      {connected.map((connection) => <CompanyHealth key={connection.realm_id} api={api} connection={connection} />)}
    </Flex>
  );
}
