// Products tab: QuickBooks products and services into HubSpot products.
import React from 'react';
import { SyncObjectsTab } from './SyncObjectPanel.jsx';

export function ProductsTab({ api, connections, pollMs }) {
  return <SyncObjectsTab api={api} connections={connections} objects={['products']} testId="products-tab"
    pollMs={pollMs} />;
}
