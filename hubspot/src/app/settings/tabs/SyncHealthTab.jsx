// Sync health tab: recent sync runs, failing records and retries (filled by the sync capability).
import React from 'react';
import { ComingSoon } from './ComingSoon.jsx';

export function SyncHealthTab() {
  return (
    <ComingSoon title="Sync health is coming" testId="sync-health-tab">
      Here you will see the last sync runs per company, the records that could not sync with the reason in plain
      words, and retry them. Invoice status and payments already update on their own from QuickBooks.
    </ComingSoon>
  );
}
