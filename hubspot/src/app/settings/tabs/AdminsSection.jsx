// HubBooks admins on the Connections tab: the user who installed HubBooks (always an admin) and the admins added
// since. An admin names further admins by HubSpot user id and removes added ones; the backend refuses removing the
// installer or the last admin and says why.
import React, { useEffect, useState } from 'react';
import {
  Alert, Button, Flex, Heading, Input, LoadingSpinner, Tag, Text,
} from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';
import { SaveFailed } from '@hubbooks/ui-shared/notices';

const validId = (text) => /^[1-9][0-9]{0,14}$/.test(text.trim());

export function AdminsSection({ api }) {
  const [view, setView] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [newId, setNewId] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);

  useEffect(() => {
    let cancelled = false;
    api.admins().then((answer) => { if (!cancelled) setView(answer); })
      .catch((error) => { if (!cancelled) setLoadError(error); });
    return () => { cancelled = true; };
  }, [api]);

  const change = async (work, done) => {
    setBusy(true);
    setResult(null);
    try {
      setView(await work());
      setResult({ ok: true, text: done });
    } catch (error) {
      setResult({ ok: false, error });
    } finally {
      setBusy(false);
    }
  };
  const add = () => change(() => api.addAdmin(Number(newId.trim())), `User ${newId.trim()} is now a HubBooks admin.`)
    .then(() => setNewId(''));
  const remove = (userId) => change(() => api.removeAdmin(userId), `User ${userId} is no longer a HubBooks admin.`);
  const invalid = newId.trim() !== '' && !validId(newId);

  return (
    <Flex direction="column" gap="xs" testId="admins">
      <Heading>HubBooks admins</Heading>
      <Text variant="microcopy">
        Admins connect companies and change the sync, invoicing and approval settings. The user who installed
        HubBooks is always one.
      </Text>
      {loadError ? <Alert title="The admins could not be loaded" variant="danger" testId="admins-load-error">
        {describeError(loadError)}</Alert> : null}
      {!view && !loadError ? <LoadingSpinner label="Loading admins" size="xs" /> : null}
      {view ? (
        <>
          {view.installer_user_id ? (
            <Flex gap="sm" align="center" testId="admin-installer">
              <Text>User {view.installer_user_id}</Text>
              <Tag variant="default">installed HubBooks</Tag>
            </Flex>
          ) : null}
          {view.added_user_ids.map((userId) => (
            <Flex key={userId} gap="sm" align="center" testId={`admin-${userId}`}>
              <Text>User {userId}</Text>
              {view.you_are_admin ? (
                <Button size="xs" variant="secondary" disabled={busy} testId={`remove-admin-${userId}`}
                  onClick={() => remove(userId)}>Remove</Button>
              ) : null}
            </Flex>
          ))}
          {view.you_are_admin ? (
            <Flex gap="sm" align="end">
              <Input label="Add an admin (HubSpot user id)" name="new-admin" value={newId} testId="new-admin-id"
                error={invalid} validationMessage={invalid ? 'Enter a HubSpot user id: digits only.' : ''}
                onChange={setNewId} />
              <Button disabled={busy || invalid || !newId.trim()} testId="add-admin" onClick={add}>
                {busy ? 'Saving…' : 'Add admin'}
              </Button>
            </Flex>
          ) : <Text variant="microcopy" testId="admins-admin-only">Only HubBooks admins can change who is one.</Text>}
          {result?.ok ? <Text variant="microcopy" testId="admins-saved">{result.text}</Text> : null}
          <SaveFailed result={result} title="The admins were not changed" testId="admins-error" />
        </>
      ) : null}
    </Flex>
  );
}
