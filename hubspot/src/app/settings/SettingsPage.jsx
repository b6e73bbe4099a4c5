// The HubBooks settings page: one tab per capability. Each tab lives in its own file under tabs/, so a capability
// fills its tab without touching the others.
import React, { useCallback, useEffect, useState } from 'react';
import { Button, ErrorState, Flex, LoadingSpinner, Tab, Tabs, Text } from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';
import { Notice, useNotice } from '@hubbooks/ui-shared/notices';
import { ConnectionsTab } from './tabs/ConnectionsTab.jsx';
import { ContactsTab } from './tabs/ContactsTab.jsx';
import { InvoicingTab } from './tabs/InvoicingTab.jsx';
import { ProductsTab } from './tabs/ProductsTab.jsx';
import { SyncHealthTab } from './tabs/SyncHealthTab.jsx';

export const SETTINGS_TABS = [
  { id: 'connections', title: 'Connections' },
  { id: 'invoicing', title: 'Invoicing' },
  { id: 'contacts', title: 'Contacts' },
  { id: 'products', title: 'Products' },
  { id: 'sync-health', title: 'Sync health' },
];

export function SettingsPage({ actions, api, noticeMs, pollMs }) {
  const [state, setState] = useState({ status: 'loading', connections: [], error: null });
  const [notice, showNotice] = useNotice(noticeMs);
  const [selected, setSelected] = useState('connections');

  const load = useCallback(async () => {
    setState((s) => ({ ...s, status: s.status === 'ready' ? 'refreshing' : 'loading', error: null }));
    try {
      const answer = await api.connections();
      setState({ status: 'ready', connections: answer?.connections ?? [], error: null });
    } catch (error) {
      setState({ status: 'error', connections: [], error });
    }
  }, [api]);

  useEffect(() => { load(); }, [load]);

  if (state.status === 'loading') {
    return <LoadingSpinner label="Loading QuickBooks connections" layout="centered" testId="settings-loading" />;
  }
  if (state.status === 'error') {
    return (
      <ErrorState title="The QuickBooks connections could not be loaded" testId="settings-error">
        <Text>{describeError(state.error)}</Text>
        <Button onClick={load} testId="settings-retry">Try again</Button>
      </ErrorState>
    );
  }

  const tabs = {
    connections: <ConnectionsTab api={api} actions={actions} connections={state.connections} reload={load}
      showNotice={showNotice} />,
    invoicing: <InvoicingTab api={api} connections={state.connections} />,
    contacts: <ContactsTab api={api} connections={state.connections} pollMs={pollMs} />,
    products: <ProductsTab api={api} connections={state.connections} pollMs={pollMs} />,
    'sync-health': <SyncHealthTab api={api} connections={state.connections} />,
  };
  return (
    <Flex direction="column" gap="md">
      <Notice notice={notice} testId="settings-notice" />
      <Tabs selected={selected} onSelectedChange={(id) => setSelected(String(id))} testId="settings-tabs">
        {SETTINGS_TABS.map((tab) => (
          <Tab key={tab.id} tabId={tab.id} title={tab.title} testId={`tab-${tab.id}`}>
            {tabs[tab.id]}
          </Tab>
        ))}
      </Tabs>
    </Flex>
  );
}
