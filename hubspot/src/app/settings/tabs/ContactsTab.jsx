// Contacts tab: QuickBooks customers <-> HubSpot contacts and companies (filled by the sync capability).
import React from 'react';
import { ComingSoon } from './ComingSoon.jsx';

export function ContactsTab() {
  return (
    <ComingSoon title="Contact sync is coming" testId="contacts-tab">
      Here you will turn syncing QuickBooks customers with HubSpot contacts and companies on or off per company,
      choose what happens when a customer is created, changed or deleted in QuickBooks, and edit the field mappings.
      Until then, HubBooks finds or creates the QuickBooks customer when it creates an invoice.
    </ComingSoon>
  );
}
