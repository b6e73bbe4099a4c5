// Existing QuickBooks records into HubSpot: a dry run that says what would happen (with examples), the run itself
// with a progress bar, and cancel. Progress is polled while a run is active.
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Flex, List, ProgressBar, Text } from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';

export const POLL_MS = 2000;
const COUNT_WORDS = [
  ['created', 'created'], ['updated', 'updated (matched or linked)'], ['unchanged', 'already up to date'],
  ['skipped', 'skipped'], ['needs_decision', 'need your decision'], ['failed', 'could not sync'],
  ['archived', 'archived'],
];

export function describeCounts(run) {
  const verb = run.dry_run ? 'would be ' : '';
  return COUNT_WORDS.filter(([key]) => run.counts?.[key])
    .map(([key, words]) => `${run.counts[key]} ${key === 'needs_decision' || key === 'failed' || key === 'unchanged'
      ? words : verb + words}`).join(', ') || 'nothing to do';
}

export function BackfillPanel({ api, realmId, objects, canEdit, pollMs = POLL_MS }) {
  const [run, setRun] = useState(null);
  const [problem, setProblem] = useState(null);
  const timer = useRef(null);
  const id = `${objects.join('-')}-${realmId}`;

  const poll = useCallback(async () => {
    try {
      const answer = await api.backfillProgress(realmId);
      setRun(answer);
      if (answer.run.status === 'queued' || answer.run.status === 'running') {
        timer.current = setTimeout(poll, pollMs);
      }
    } catch (error) {
      if (error.status !== 404) setProblem(error); // 404: no run yet
    }
  }, [api, realmId, pollMs]);

  useEffect(() => {
    poll();
    return () => clearTimeout(timer.current);
  }, [poll]);

  const start = async (dryRun) => {
    setProblem(null);
    try {
      setRun(await api.startBackfill(realmId, { objects, dryRun }));
      clearTimeout(timer.current);
      timer.current = setTimeout(poll, pollMs);
    } catch (error) {
      setProblem(error);
    }
  };
  const cancel = async () => {
    try {
      setRun(await api.cancelBackfill(realmId));
    } catch (error) {
      setProblem(error);
    }
  };

  const current = run?.run;
  const active = current && (current.status === 'queued' || current.status === 'running');
  const mine = current && current.objects.some((o) => objects.includes(o));
  return (
    <Flex direction="column" gap="xs" testId={`backfill-${id}`}>
      <Text variant="microcopy">
        HubBooks can bring the records QuickBooks already has into HubSpot. Start with a dry run: it changes nothing
        and says how many records would be created, updated, skipped or need your decision.
      </Text>
      {canEdit ? (
        <Flex gap="sm">
          <Button onClick={() => start(true)} disabled={Boolean(active)} testId={`dry-run-${id}`}>Dry run</Button>
          <Button variant="primary" onClick={() => start(false)} disabled={Boolean(active)}
            testId={`start-backfill-${id}`}>Backfill existing records</Button>
          {active ? <Button variant="destructive" onClick={cancel} testId={`cancel-backfill-${id}`}>Cancel</Button>
            : null}
        </Flex>
      ) : null}
      {current && mine ? (
        <Flex direction="column" gap="xs" testId={`backfill-run-${id}`}>
          <ProgressBar title={`${current.dry_run ? 'Dry run' : 'Backfill'}: ${current.status}`} value={run.percent}
            maxValue={100} showPercentage={true} variant={current.status === 'failed' ? 'danger' : 'success'}
            valueDescription={`${current.processed} of ${current.totals ? Object.values(current.totals)
              .reduce((a, b) => a + b, 0) : 0} records`} testId={`backfill-progress-${id}`} />
          <Text testId={`backfill-counts-${id}`}>{describeCounts(current)}</Text>
          {Object.entries(current.examples ?? {}).map(([kind, examples]) => (
            <List key={kind} variant="unordered-styled" testId={`backfill-examples-${kind}-${id}`}>
              {examples.map((e) => (
                <Text key={`${e.object}-${e.qbo_id}`} variant="microcopy">
                  {`${kind.replace('_', ' ')}: ${e.label}${e.detail ? ` (${e.detail})` : ''}`}
                </Text>
              ))}
            </List>
          ))}
        </Flex>
      ) : null}
      {problem ? (
        <Alert title="The backfill did not start" variant="danger" testId={`backfill-error-${id}`}>
          {describeError(problem)}
        </Alert>
      ) : null}
    </Flex>
  );
}
