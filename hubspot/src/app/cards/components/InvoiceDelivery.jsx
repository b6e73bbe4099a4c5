// Send and Void on one invoice row, each behind a modal: Send asks where to (the billing e-mail by default), Void
// asks for confirmation and is offered only to approvers and admins, for invoices with nothing paid.
import React, { useState } from 'react';
import { Button, Input, Modal, ModalBody, ModalFooter, Text } from '@hubspot/ui-extensions';

export const sendModalId = (invoice) => `hubbooks-send-${invoice.realm_id}-${invoice.invoice_id}`;
export const voidModalId = (invoice) => `hubbooks-void-${invoice.realm_id}-${invoice.invoice_id}`;

function SendModal({ invoice, label, onSend, onCancel }) {
  const key = `${invoice.realm_id}-${invoice.invoice_id}`;
  const [to, setTo] = useState(invoice.bill_email ?? '');
  return (
    <Modal id={sendModalId(invoice)} title={`Send ${label}`} width="sm">
      <ModalBody>
        <Text>QuickBooks e-mails the invoice{invoice.payment_link ? ' with its pay-online link' : ''}.</Text>
        <Input name="send-to" label="Send to" value={to} onChange={setTo} required testId={`send-to-${key}`}
          description={invoice.bill_email ? "The customer's billing e-mail, or another address" : 'No billing e-mail '
            + 'is on the invoice; enter the address'} />
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" testId={`confirm-send-${key}`} disabled={!to.trim()}
          onClick={() => onSend(invoice, to.trim())}>
          Send
        </Button>
        <Button variant="secondary" onClick={() => onCancel(sendModalId(invoice))}>Cancel</Button>
      </ModalFooter>
    </Modal>
  );
}

export function InvoiceDelivery({ invoice, label, onSend, onVoid, onCancel }) {
  const key = `${invoice.realm_id}-${invoice.invoice_id}`;
  return (
    <>
      {invoice.can_send ? (
        <Button size="xs" variant="secondary" testId={`send-${key}`} overlay={
          <SendModal invoice={invoice} label={label} onSend={onSend} onCancel={onCancel} />
        }>
          Send
        </Button>
      ) : null}
      {invoice.can_void ? (
        <Button size="xs" variant="transparent" testId={`void-${key}`} overlay={
          <Modal id={voidModalId(invoice)} title="Void this invoice?" variant="danger" width="sm">
            <ModalBody>
              <Text>
                {label} will be voided in QuickBooks: its amounts become zero and it cannot be undone. The deal's
                invoice fields and timeline follow.
              </Text>
            </ModalBody>
            <ModalFooter>
              <Button variant="destructive" testId={`confirm-void-${key}`} onClick={() => onVoid(invoice)}>
                Void
              </Button>
              <Button variant="secondary" onClick={() => onCancel(voidModalId(invoice))}>Cancel</Button>
            </ModalFooter>
          </Modal>
        }>
          Void
        </Button>
      ) : null}
    </>
  );
}
