// The two main actions, Create invoice (deals) and Add existing invoice, each in a panel whose footer stays put.
import React, { useState } from 'react';
import { Button, Panel } from '@hubspot/ui-extensions';
import { plural } from '@hubbooks/ui-shared/format';
import { InvoiceWizard } from './InvoiceWizard.jsx';
import { LinkExistingInvoices } from './LinkExistingInvoices.jsx';

export const WIZARD_PANEL_ID = 'hubbooks-create-invoice';
export const LINK_PANEL_ID = 'hubbooks-add-existing-invoice';

function createdMessage(created) {
  const invoice = created?.invoice;
  return invoice ? `Invoice ${invoice.number || invoice.invoice_id} was created in QuickBooks and linked.` : null;
}

function linkedMessage(result, objectLabel) {
  const count = result?.linked?.length ?? 0;
  return count ? `${plural(count, 'invoice')} added to this ${objectLabel}.` : null;
}

export function CardActions({ card, actions, api, onPreview, size }) {
  const [wizardRun, setWizardRun] = useState(0);
  const [wizardOpen, setWizardOpen] = useState(false);
  const [linkOpen, setLinkOpen] = useState(false);
  const data = card.state.data;
  const nextActions = data?.next_actions ?? [];
  const createAction = nextActions.find((a) => a.action === 'create_invoice');
  const linkAction = nextActions.find((a) => a.action === 'link_existing_invoice');
  const close = (setOpen) => { setOpen(false); card.panelClosed(); };

  return (
    <>
      {createAction ? (
        <Button variant="primary" size={size} disabled={!createAction.enabled} testId="create-invoice" overlay={
          <Panel id={WIZARD_PANEL_ID} title="Create a QuickBooks invoice" width="lg" variant="modal"
            onOpen={() => { setWizardRun((run) => run + 1); setWizardOpen(true); }}
            onClose={() => close(setWizardOpen)}>
            {wizardOpen ? (
              <InvoiceWizard key={wizardRun} api={api} dealId={card.objectId} locale={card.locale}
                onPreview={onPreview}
                onCreated={(created) => card.markChanged(createdMessage(created))}
                onSubmitted={() => card.markChanged('The invoice was sent for approval; it shows as awaiting approval '
                  + 'on this deal until an approver decides.')}
                onClose={() => actions.closeOverlay(WIZARD_PANEL_ID)} />
            ) : null}
          </Panel>
        }>
          {createAction.label || 'Create invoice'}
        </Button>
      ) : null}
      {linkAction ? (
        <Button variant="secondary" size={size} disabled={linkAction.enabled === false} testId="add-existing-invoice"
          overlay={
            <Panel id={LINK_PANEL_ID} title="Add an existing QuickBooks invoice" width="lg" variant="modal"
              onOpen={() => setLinkOpen(true)} onClose={() => close(setLinkOpen)}>
              {linkOpen ? (
                <LinkExistingInvoices api={api} companies={data?.companies ?? []} objectType={card.objectType}
                  objectId={card.objectId} locale={card.locale}
                  onLinked={(result) => card.markChanged(linkedMessage(result, card.objectLabel))}
                  onClose={() => actions.closeOverlay(LINK_PANEL_ID)} />
              ) : null}
            </Panel>
          }>
          {linkAction.label || 'Add existing invoice'}
        </Button>
      ) : null}
    </>
  );
}
