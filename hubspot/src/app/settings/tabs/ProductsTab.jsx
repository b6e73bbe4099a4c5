// Products tab: QuickBooks products and services <-> HubSpot products (filled by the sync capability).
import React from 'react';
import { ComingSoon } from './ComingSoon.jsx';

export function ProductsTab() {
  return (
    <ComingSoon title="Product sync is coming" testId="products-tab">
      Here you will turn syncing QuickBooks products and services with HubSpot products on or off per company, and
      edit the field mappings (name, SKU, description, price). Until then, the create-invoice wizard matches quote
      lines to QuickBooks products by SKU, then by name.
    </ComingSoon>
  );
}
