// Uninstalling HubBooks from this HubSpot account: the admin chooses what happens to the QuickBooks companies
// (disconnect and revoke, or keep them connected for a reinstall). HubSpot's tokens always go.
import React, { useState } from 'react';
import { Alert, Button, Flex, Heading, Modal, ModalBody, ModalFooter, Text } from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';

const CHOICES = {
  disconnect: {
    button: 'Uninstall and disconnect QuickBooks',
    explain: 'HubBooks forgets its HubSpot access and disconnects every QuickBooks company; QuickBooks revokes '
      + "HubBooks' access to them. Invoices stay in QuickBooks and links stay on HubSpot records.",
  },
  keep: {
    button: 'Uninstall, keep QuickBooks connected',
    explain: 'HubBooks forgets its HubSpot access but keeps the QuickBooks companies connected, so a reinstall '
      + 'picks them up without connecting again.',
  },
};
const modalId = (choice) => `hubbooks-uninstall-${choice}`;

export function UninstallSection({ api, actions }) {
  const [result, setResult] = useState(null);

  const uninstall = async (choice) => {
    actions.closeOverlay(modalId(choice));
    try {
      const answer = await api.uninstall(choice);
      setResult({ ok: true, text: `${answer.message} To finish, remove HubBooks under Connected apps in HubSpot.` });
    } catch (error) {
      setResult({ ok: false, text: describeError(error) });
    }
  };

  return (
    <Flex direction="column" gap="xs" testId="uninstall">
      <Heading>Uninstall HubBooks</Heading>
      <Text variant="microcopy">Only a HubBooks admin (the person who installed it, or an admin they added) can do this.</Text>
      <Flex gap="sm" wrap="wrap">
        {Object.entries(CHOICES).map(([choice, { button, explain }]) => (
          <Button key={choice} size="sm" variant={choice === 'disconnect' ? 'destructive' : 'secondary'}
            testId={`uninstall-${choice}`} overlay={
              <Modal id={modalId(choice)} title={`${button}?`} variant="danger" width="sm">
                <ModalBody><Text>{explain}</Text></ModalBody>
                <ModalFooter>
                  <Button variant="destructive" testId={`confirm-uninstall-${choice}`}
                    onClick={() => uninstall(choice)}>{button}</Button>
                  <Button variant="secondary" onClick={() => actions.closeOverlay(modalId(choice))}>Cancel</Button>
                </ModalFooter>
              </Modal>
            }>{button}</Button>
        ))}
      </Flex>
      {result ? (
        <Alert title={result.ok ? 'HubBooks is uninstalled' : 'HubBooks could not be uninstalled'}
          variant={result.ok ? 'success' : 'danger'} testId="uninstall-result">{result.text}</Alert>
      ) : null}
    </Flex>
  );
}
