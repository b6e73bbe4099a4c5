// Entry point of the "QuickBooks invoices" app card (deals, contacts, companies).
import React from 'react';
import { hubspot } from '@hubspot/ui-extensions';
import { createApi } from '@hubbooks/ui-shared/api';
import { InvoicesCardView } from './components/InvoicesCardView.jsx';

const api = createApi(hubspot.fetch);

hubspot.extend(({ context, actions }) => <InvoicesCardView context={context} actions={actions} api={api} />);
