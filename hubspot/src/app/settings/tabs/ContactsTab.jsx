// Contacts tab: QuickBooks customers into HubSpot contacts, and (those with a company name) into companies.
import React from 'react';
import { SyncObjectsTab } from './SyncObjectPanel.jsx';

export function ContactsTab({ api, connections, pollMs }) {
  return <SyncObjectsTab api={api} connections={connections} objects={['contacts', 'companies']}
    testId="contacts-tab" pollMs={pollMs} />;
}
