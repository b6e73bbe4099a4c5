// No QuickBooks company is connected yet: people who manage apps get the way to the settings page, everyone else
// learns whom to ask (context.user.permissions), instead of one message for all.
import React from 'react';
import { Button, EmptyState, Link, Text } from '@hubspot/ui-extensions';
import { SUPPORT_EMAIL } from '@hubbooks/ui-shared/config';
import { canManageApps, connectedAppsUrl } from '@hubbooks/ui-shared/format';

export function NotConnected({ context, onRefresh, compact = false }) {
  const admin = canManageApps(context?.user);
  return (
    <EmptyState title="Connect QuickBooks to see invoices here" layout="vertical" flush={compact}
      imageWidth={compact ? 80 : 120} testId="card-not-connected">
      {admin ? (
        <Text testId="not-connected-admin">
          No QuickBooks Online company is connected to this HubSpot account yet. Open HubBooks' settings (Connected
          apps → HubBooks → Settings), choose Connect a QuickBooks company, then refresh this card.
        </Text>
      ) : (
        <Text testId="not-connected-user">
          No QuickBooks Online company is connected to this HubSpot account yet. Ask a HubSpot super admin, or
          someone allowed to manage apps in this account, to connect one in HubBooks' settings. Questions about
          HubBooks: {SUPPORT_EMAIL}.
        </Text>
      )}
      {admin ? (
        <Button href={{ url: connectedAppsUrl(context?.portal?.id), external: true }} variant="primary"
          testId="open-settings">
          Open HubBooks settings
        </Button>
      ) : null}
      <Button variant="secondary" onClick={onRefresh} testId="card-refresh">Refresh</Button>
      {admin ? null : <Link href={{ url: `mailto:${SUPPORT_EMAIL}`, external: true }}>Contact HubBooks support</Link>}
    </EmptyState>
  );
}
