// The field mappings of one object: which HubSpot property each QuickBooks field feeds, whether it can work, and
// how it has fared; admins add, edit and delete them with pickers filled from both sides' field catalogues.
import React, { useState } from 'react';
import {
  Alert, Button, Flex, Select, StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text,
} from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';

const CASES = [
  { value: 'keep', label: 'Keep as in QuickBooks' },
  { value: 'upper', label: 'UPPER CASE' },
  { value: 'lower', label: 'lower case' },
  { value: 'title', label: 'Title Case' },
];

export const OWNERS = [
  { value: 'quickbooks', label: 'QuickBooks' },
  { value: 'hubspot', label: 'HubSpot' },
  { value: 'latest', label: 'Most recent change wins' },
];

function ownerLabel(owner) {
  return (OWNERS.find((o) => o.value === owner) ?? OWNERS[0]).label;
}

// Changing only the owner keeps the rest of the mapping as it is.
function mappingBody(mapping, changes) {
  return { hubspot_property: mapping.hubspot_property, qbo_field: mapping.qbo_field, transform: mapping.transform,
    enabled: mapping.enabled, owner: mapping.owner ?? 'quickbooks', ...changes };
}

function when(value) {
  return value ? new Date(value).toLocaleString() : '—';
}

export function MappingStatus({ row }) {
  if (!row.mapping.enabled) return <StatusTag variant="default">Off</StatusTag>;
  if (!row.valid) return <StatusTag variant="danger">{row.problems[0]?.message ?? 'Cannot sync'}</StatusTag>;
  if (row.stats.last_failure_at && (!row.stats.last_success_at
    || row.stats.last_failure_at > row.stats.last_success_at)) {
    return <StatusTag variant="warning">{row.stats.last_failure_reason ?? 'Last sync failed'}</StatusTag>;
  }
  return <StatusTag variant="success">Syncing</StatusTag>;
}

function MappingEditor({ api, realmId, syncObject, catalogue, editing, twoWay, onDone, onCancel }) {
  const [form, setForm] = useState(() => ({
    hubspot_property: editing?.mapping.hubspot_property ?? '',
    qbo_field: editing?.mapping.qbo_field ?? '',
    case: editing?.mapping.transform.case ?? 'keep',
    owner: editing?.mapping.owner ?? 'quickbooks',
  }));
  const [state, setState] = useState({ saving: false, error: null });
  const id = `${syncObject}-${realmId}`;
  const properties = catalogue.hubspot.filter((p) => p.writable)
    .map((p) => ({ value: p.name, label: `${p.label} (${p.type})` }));
  const fields = catalogue.qbo.map((f) => ({ value: f.path, label: `${f.label} (${f.kind})` }));

  const save = async () => {
    setState({ saving: true, error: null });
    const body = { hubspot_property: form.hubspot_property, qbo_field: form.qbo_field,
      transform: { ...(editing?.mapping.transform ?? {}), case: form.case }, owner: form.owner };
    try {
      if (editing) await api.updateMapping(realmId, syncObject, editing.mapping.id, body);
      else await api.addMapping(realmId, syncObject, body);
      onDone();
    } catch (error) {
      setState({ saving: false, error });
    }
  };

  return (
    <Flex direction="column" gap="xs" testId={`mapping-editor-${id}`}>
      <Select label="HubSpot property" name={`property-${id}`} options={properties} value={form.hubspot_property}
        testId={`mapping-property-${id}`} onChange={(value) => setForm((f) => ({ ...f, hubspot_property: String(value) }))} />
      <Select label="QuickBooks field" name={`field-${id}`} options={fields} value={form.qbo_field}
        testId={`mapping-field-${id}`} onChange={(value) => setForm((f) => ({ ...f, qbo_field: String(value) }))} />
      <Select label="Letter case" name={`case-${id}`} options={CASES} value={form.case} testId={`mapping-case-${id}`}
        onChange={(value) => setForm((f) => ({ ...f, case: String(value) }))} />
      {twoWay ? (
        <Select label="Owner (whose value wins)" name={`owner-${id}`} options={OWNERS} value={form.owner}
          testId={`mapping-owner-${id}`} onChange={(value) => setForm((f) => ({ ...f, owner: String(value) }))} />
      ) : null}
      <Flex gap="sm">
        <Button variant="primary" onClick={save} disabled={state.saving || !form.hubspot_property || !form.qbo_field}
          testId={`mapping-save-${id}`}>{state.saving ? 'Saving…' : 'Save mapping'}</Button>
        <Button onClick={onCancel} testId={`mapping-cancel-${id}`}>Cancel</Button>
      </Flex>
      {state.error ? (
        <Alert title="The mapping was not saved" variant="danger" testId={`mapping-error-${id}`}>
          {describeError(state.error)}
        </Alert>
      ) : null}
    </Flex>
  );
}

export function MappingTable({ api, realmId, syncObject, view, reload }) {
  const [catalogue, setCatalogue] = useState(null);
  const [editing, setEditing] = useState(undefined); // undefined: closed; null: adding; a row: editing it
  const [problem, setProblem] = useState(null);
  const id = `${syncObject}-${realmId}`;
  const twoWay = view.behaviour.direction === 'both';

  const open = async (row) => {
    setProblem(null);
    try {
      setCatalogue(catalogue ?? await api.syncCatalogue(realmId, syncObject));
      setEditing(row);
    } catch (error) {
      setProblem(error);
    }
  };
  const changeOwner = async (row, owner) => {
    setProblem(null);
    try {
      await api.updateMapping(realmId, syncObject, row.mapping.id, mappingBody(row.mapping, { owner }));
      reload();
    } catch (error) {
      setProblem(error);
    }
  };
  const remove = async (row) => {
    setProblem(null);
    try {
      await api.deleteMapping(realmId, syncObject, row.mapping.id);
      reload();
    } catch (error) {
      setProblem(error);
    }
  };

  return (
    <Flex direction="column" gap="xs" testId={`mappings-${id}`}>
      <Table bordered={true} testId={`mapping-table-${id}`}>
        <TableHead>
          <TableRow>
            <TableHeader>HubSpot property</TableHeader>
            <TableHeader>QuickBooks field</TableHeader>
            {twoWay ? <TableHeader>Owner</TableHeader> : null}
            <TableHeader>Status</TableHeader>
            <TableHeader>Records synced</TableHeader>
            <TableHeader>Last success</TableHeader>
            {view.can_edit ? <TableHeader>Change</TableHeader> : null}
          </TableRow>
        </TableHead>
        <TableBody>
          {view.mappings.map((row) => (
            <TableRow key={row.mapping.id} testId={`mapping-${id}-${row.mapping.id}`}>
              <TableCell>{row.mapping.hubspot_property}</TableCell>
              <TableCell>{row.mapping.qbo_field}</TableCell>
              {twoWay ? (
                <TableCell>
                  {view.can_edit ? (
                    <Select name={`owner-${id}-${row.mapping.id}`} options={OWNERS} label=""
                      value={row.mapping.owner ?? 'quickbooks'} testId={`owner-${id}-${row.mapping.id}`}
                      onChange={(value) => changeOwner(row, String(value))} />
                  ) : <Text testId={`owner-${id}-${row.mapping.id}`}>{ownerLabel(row.mapping.owner)}</Text>}
                </TableCell>
              ) : null}
              <TableCell><MappingStatus row={row} /></TableCell>
              <TableCell>{row.stats.records_synced}</TableCell>
              <TableCell>{when(row.stats.last_success_at)}</TableCell>
              {view.can_edit ? (
                <TableCell>
                  <Flex gap="xs">
                    <Button size="xs" onClick={() => open(row)} testId={`edit-${id}-${row.mapping.id}`}>Edit</Button>
                    <Button size="xs" variant="destructive" onClick={() => remove(row)}
                      testId={`delete-${id}-${row.mapping.id}`}>Delete</Button>
                  </Flex>
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {view.mappings.length === 0 ? <Text variant="microcopy">No fields are mapped.</Text> : null}
      {view.can_edit && editing === undefined ? (
        <Button onClick={() => open(null)} testId={`add-mapping-${id}`}>Add a mapping</Button>
      ) : null}
      {editing !== undefined && catalogue ? (
        <MappingEditor api={api} realmId={realmId} syncObject={syncObject} catalogue={catalogue} editing={editing}
          twoWay={twoWay}
          onCancel={() => setEditing(undefined)} onDone={() => { setEditing(undefined); reload(); }} />
      ) : null}
      {problem ? (
        <Alert title="That did not work" variant="danger" testId={`mappings-error-${id}`}>{describeError(problem)}</Alert>
      ) : null}
    </Flex>
  );
}
