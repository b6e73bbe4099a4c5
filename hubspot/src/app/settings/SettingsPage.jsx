import React, { useCallback, useEffect, useState } from 'react';
import {
  Alert, Button, Divider, EmptyState, ErrorState, Flex, Heading, Input, LoadingSpinner, Modal, ModalBody,
  ModalFooter, StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text, Toggle,
} from '@hubspot/ui-extensions';
import { describeError } from '../cards/lib/api.js';
import { formatDate } from '../cards/lib/format.js';

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

function InvoiceNumbering({ api, connection }) {
  const realmId = connection.realm_id;
  const [view, setView] = useState(null);
  const [form, setForm] = useState({ assign: false, prefix: 'HB-' });
  const [loadError, setLoadError] = useState(null);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState(null);

  const apply = (answer) => {
    setView(answer);
    setForm({ assign: Boolean(answer.assign_doc_numbers), prefix: answer.doc_number_prefix ?? 'HB-' });
  };

  useEffect(() => {
    let cancelled = false;
    api.invoicingSettings(realmId).then((answer) => { if (!cancelled) apply(answer); })
      .catch((problem) => { if (!cancelled) setLoadError(problem); });
    return () => { cancelled = true; };
  }, [api, realmId]);

  const save = async () => {
    setSaving(true);
    setResult(null);
    try {
      apply(await api.saveInvoicingSettings(realmId, { assignDocNumbers: form.assign, docNumberPrefix: form.prefix }));
      setResult({ ok: true });
    } catch (problem) {
      setResult({ ok: false, error: problem });
    } finally {
      setSaving(false);
    }
  };

  const prefixProblem = result && !result.ok
    ? (result.error.fields ?? []).find((f) => String(f.field).includes('prefix')) : null;
  return (
    <Flex direction="column" gap="xs" testId={`numbering-${realmId}`}>
      <Text format={{ fontWeight: 'demibold' }}>{connection.company_name}</Text>
      {loadError ? <Alert title="Settings could not be loaded" variant="danger">{describeError(loadError)}</Alert> : null}
      {!view && !loadError ? <LoadingSpinner label="Loading invoice numbering" size="xs" /> : null}
      {view ? (
        <>
          <Text variant="microcopy">
            This company uses custom transaction numbers, so QuickBooks expects every invoice to arrive with a number.
            HubBooks can number the invoices it creates: the prefix followed by the next free number.
          </Text>
          <Toggle label="Let HubBooks number the invoices it creates" name={`assign-${realmId}`} labelDisplay="inline"
            checked={form.assign} testId={`assign-${realmId}`}
            onChange={(checked) => setForm((f) => ({ ...f, assign: checked }))} />
          <Input label="Number prefix" name={`prefix-${realmId}`} value={form.prefix} testId={`prefix-${realmId}`}
            readOnly={!form.assign} error={Boolean(prefixProblem)} validationMessage={prefixProblem?.message}
            onChange={(value) => setForm((f) => ({ ...f, prefix: value }))} />
          <Flex gap="sm" align="center">
            <Button onClick={save} disabled={saving} testId={`save-numbering-${realmId}`}>
              {saving ? 'Saving…' : 'Save'}
            </Button>
            {result?.ok ? <Text variant="microcopy" testId={`saved-${realmId}`}>Saved.</Text> : null}
          </Flex>
          {result && !result.ok ? (
            <Alert title="The setting was not saved" variant="danger" testId={`numbering-error-${realmId}`}>
              {describeError(result.error)}
            </Alert>
          ) : null}
          {!view.can_create_invoices && view.blocked_reason ? (
            <Alert title="Invoices cannot be created in this company yet" variant="warning"
              testId={`blocked-${realmId}`}>{view.blocked_reason}</Alert>
          ) : null}
        </>
      ) : null}
    </Flex>
  );
}

export function SettingsPage({ actions, api }) {
  const [state, setState] = useState({ status: 'loading', connections: [], error: null });
  const [notice, setNotice] = useState(null);
  const [connect, setConnect] = useState({ busy: false, link: null, error: null });

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
      setNotice({ variant: 'success', title: 'QuickBooks company disconnected',
        message: `${connection.company_name} is disconnected. Its invoices stay in QuickBooks; the links on HubSpot records stay too, but show as unavailable until you connect it again.` });
      await load();
    } catch (error) {
      setNotice({ variant: 'danger', title: `${connection.company_name} could not be disconnected`,
        message: describeError(error) });
    }
  };

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

  const connections = state.connections;
  const active = connections.filter((c) => c.status !== 'disconnected');
  const numbered = connections.filter((c) => c.status === 'connected' && c.custom_txn_numbers);
  const needsReconnect = connections.filter((c) => c.status === 'needs_reconnect');

  return (
    <Flex direction="column" gap="md">
      <Heading>QuickBooks Online companies</Heading>
      {notice ? <Alert title={notice.title} variant={notice.variant} testId="settings-notice">{notice.message}</Alert> : null}
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
              <Button variant="secondary" onClick={() => { setConnect({ busy: false, link: null, error: null }); load(); }}
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

      {numbered.length > 0 ? (
        <>
          <Divider />
          <Heading>Invoice numbers</Heading>
          {numbered.map((c) => <InvoiceNumbering key={c.realm_id} api={api} connection={c} />)}
        </>
      ) : null}
    </Flex>
  );
}
