// One object's sync for one company: behaviour, mappings with status, and backfill.
import React, { useCallback, useEffect, useState } from 'react';
import { Alert, Divider, Flex, Heading, LoadingSpinner } from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';
import { BackfillPanel } from './BackfillPanel.jsx';
import { MappingTable } from './MappingTable.jsx';
import { SyncBehaviourForm } from './SyncBehaviourForm.jsx';

export const OBJECT_LABELS = {
  contacts: { title: 'Contacts', qbo: 'customer', hubspot: 'contact', toggle: 'Sync QuickBooks customers to HubSpot contacts' },
  companies: { title: 'Companies', qbo: 'customer', hubspot: 'company', toggle: 'Sync QuickBooks customers with a company name to '
    + 'HubSpot companies' },
  products: { title: 'Products', qbo: 'product or service', hubspot: 'product', toggle: 'Sync QuickBooks products and services to '
    + 'HubSpot products' },
};

export function SyncObjectPanel({ api, connection, syncObject, pollMs }) {
  const realmId = connection.realm_id;
  const [view, setView] = useState(null);
  const [problem, setProblem] = useState(null);
  const labels = OBJECT_LABELS[syncObject];

  const load = useCallback(async () => {
    try {
      setView(await api.syncObject(realmId, syncObject));
      setProblem(null);
    } catch (error) {
      setProblem(error);
    }
  }, [api, realmId, syncObject]);

  useEffect(() => { load(); }, [load]);

  if (problem && !view) {
    return (
      <Alert title={`${labels.title} sync settings could not be loaded`} variant="danger"
        testId={`sync-error-${syncObject}-${realmId}`}>{describeError(problem)}</Alert>
    );
  }
  if (!view) return <LoadingSpinner label={`Loading ${labels.title.toLowerCase()} sync`} size="xs" />;
  return (
    <Flex direction="column" gap="sm" testId={`sync-${syncObject}-${realmId}`}>
      <Heading>{`${labels.title}: ${connection.company_name}`}</Heading>
      <SyncBehaviourForm api={api} realmId={realmId} syncObject={syncObject} view={view}
        labels={labels} onSaved={setView} />
      <MappingTable api={api} realmId={realmId} syncObject={syncObject} view={view} reload={load} />
      <BackfillPanel api={api} realmId={realmId} objects={[syncObject]} canEdit={view.can_edit} pollMs={pollMs} />
      <Divider />
    </Flex>
  );
}

export function SyncObjectsTab({ api, connections, objects, testId, pollMs }) {
  const connected = connections.filter((c) => c.status === 'connected');
  if (connected.length === 0) {
    return (
      <Alert title="No QuickBooks company is connected" variant="info" testId={`${testId}-empty`}>
        Connect one on the Connections tab, then turn sync on here.
      </Alert>
    );
  }
  return (
    <Flex direction="column" gap="md" testId={testId}>
      {connected.flatMap((connection) => objects.map((syncObject) => (
        <SyncObjectPanel key={`${connection.realm_id}-${syncObject}`} api={api} connection={connection}
          syncObject={syncObject} pollMs={pollMs} />
      )))}
    </Flex>
  );
}
