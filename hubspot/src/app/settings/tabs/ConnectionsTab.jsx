// Connections tab: the connected QuickBooks companies, connecting another one, disconnecting with confirmation,
// the HubBooks admins, and uninstalling HubBooks.
import React, { useState } from 'react';
import {
  Alert, Button, EmptyState, Flex, Heading, LoadingSpinner, Modal, ModalBody, ModalFooter, StatusTag, Table,
  TableBody, TableCell, TableHead, TableHeader, TableRow, Text,
} from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';
import { formatDate } from '@hubbooks/ui-shared/format';
import { AdminsSection } from './AdminsSection.jsx';
import { UninstallSection } from './UninstallSection.jsx';

const STATUS = {
  connected: { label: 'Connected', variant: 'success' },
  needs_reconnect: { label: 'Needs reconnecting', variant: 'warning' },
  disconnected: { label: 'Disconnected', variant: 'default' },
};
const disconnectModalId = (realmId) => `hubbooks-disconnect-${realmId}`;

function formatTime(iso) {
  if (!iso) return '';
  const match = String(iso).match(/T(\d{2}:\d{2})/);
  return match ? `${match[1]} UTC` : String(iso);
}

export function ConnectionsTab({ api, actions, connections, reload, showNotice }) {
  const [connect, setConnect] = useState({ busy: false, link: null, error: null });

  const getConnectLink = async () => {
    setConnect({ busy: true, link: null, error: null });
    try {
      setConnect({ busy: false, link: await api.connectLink(), error: null });
    } catch (error) {
      setConnect({ busy: false, link: null, error });
    }
  };

  const disconnect = async (connection) => {
    actions.closeOverlay(disconnectModalId(connection.realm_id));
    try {
      await api.disconnect(connection.realm_id);
      showNotice({ variant: 'success', title: 'QuickBooks company disconnected',
        message: `${connection.company_name} is disconnected. Its invoices stay in QuickBooks; the links on HubSpot records stay too, but show as unavailable until you connect it again.` });
      await reload();
    } catch (error) {
      showNotice({ variant: 'danger', title: `${connection.company_name} could not be disconnected`,
        message: describeError(error) });
    }
  };

  const active = connections.filter((c) => c.status !== 'disconnected');
  const needsReconnect = connections.filter((c) => c.status === 'needs_reconnect');

  return (
    <Flex direction="column" gap="md" testId="connections-tab">
      <Heading>QuickBooks Online companies</Heading>
      {needsReconnect.map((c) => (
        <Alert key={c.realm_id} title={`${c.company_name} needs reconnecting`} variant="warning"
          testId={`reconnect-${c.realm_id}`}>
          QuickBooks no longer accepts HubBooks' access to this company. Use "Connect another company" below and
          choose {c.company_name} again.
        </Alert>
      ))}
      {connections.length === 0 ? (
        <EmptyState title="No QuickBooks company connected" layout="vertical" testId="settings-empty">
          <Text>Connect a QuickBooks Online company to create and track invoices from HubSpot.</Text>
        </EmptyState>
      ) : (
        <Table bordered testId="connections">
          <TableHead>
            <TableRow>
              <TableHeader>Company</TableHeader>
              <TableHeader>Country</TableHeader>
              <TableHeader>Home currency</TableHeader>
              <TableHeader>Status</TableHeader>
              <TableHeader>Connected</TableHeader>
              <TableHeader> </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {connections.map((c) => {
              const status = STATUS[c.status] ?? { label: c.status, variant: 'default' };
              return (
                <TableRow key={c.realm_id}>
                  <TableCell>{c.company_name}{c.is_sandbox ? ' (sandbox)' : ''}</TableCell>
                  <TableCell>{c.country}</TableCell>
                  <TableCell>{c.home_currency}{c.multicurrency ? ' (multicurrency)' : ''}</TableCell>
                  <TableCell>
                    <StatusTag variant={status.variant} testId={`connection-status-${c.realm_id}`}>{status.label}</StatusTag>
                  </TableCell>
                  <TableCell>{formatDate(c.status === 'disconnected' ? c.disconnected_at : c.connected_at)}</TableCell>
                  <TableCell>
                    {c.status !== 'disconnected' ? (
                      <Button size="xs" variant="destructive" testId={`disconnect-${c.realm_id}`} overlay={
                        <Modal id={disconnectModalId(c.realm_id)} title={`Disconnect ${c.company_name}?`} variant="danger" width="sm">
                          <ModalBody>
                            <Text>
                              HubBooks will stop creating and updating invoices for {c.company_name}, and QuickBooks
                              will revoke HubBooks' access. Invoices already in QuickBooks are not changed.
                            </Text>
                          </ModalBody>
                          <ModalFooter>
                            <Button variant="destructive" testId={`confirm-disconnect-${c.realm_id}`}
                              onClick={() => disconnect(c)}>Disconnect</Button>
                            <Button variant="secondary" onClick={() => actions.closeOverlay(disconnectModalId(c.realm_id))}>
                              Cancel
                            </Button>
                          </ModalFooter>
                        </Modal>
                      }>Disconnect</Button>
                    ) : null}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}

      <Flex direction="column" gap="xs">
        {connect.link ? (
          <Flex direction="column" gap="xs" testId="connect-link">
            <Flex gap="sm" align="center">
              <Button variant="primary" href={{ url: connect.link.url, external: true }} testId="open-connect-link">
                Open QuickBooks to connect
              </Button>
              <Button variant="secondary" onClick={() => { setConnect({ busy: false, link: null, error: null }); reload(); }}
                testId="connect-done">I have connected it: refresh</Button>
            </Flex>
            <Text variant="microcopy">
              The link opens in a new tab, works once and expires at {formatTime(connect.link.expires_at)}. Sign in to
              QuickBooks there, choose the company and approve HubBooks.
            </Text>
          </Flex>
        ) : (
          <Flex gap="sm" align="center">
            <Button variant={active.length ? 'secondary' : 'primary'} onClick={getConnectLink} disabled={connect.busy}
              testId="connect-company">
              {active.length ? 'Connect another company' : 'Connect a QuickBooks company'}
            </Button>
            {connect.busy ? <LoadingSpinner label="Preparing the link" size="xs" /> : null}
          </Flex>
        )}
        {connect.error ? (
          <Alert title="The connect link could not be created" variant="danger" testId="connect-error">
            {describeError(connect.error)}
          </Alert>
        ) : null}
      </Flex>

      <AdminsSection api={api} />

      <UninstallSection api={api} actions={actions} />
    </Flex>
  );
}
