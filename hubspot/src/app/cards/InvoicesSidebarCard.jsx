// Entry point of the "QuickBooks summary" sidebar card (deals, contacts, companies).
import React from 'react';
import { hubspot } from '@hubspot/ui-extensions';
import { createApi } from '@hubbooks/ui-shared/api';
import { InvoicesSidebar } from './components/InvoicesSidebar.jsx';

const api = createApi(hubspot.fetch);

hubspot.extend(({ context, actions }) => <InvoicesSidebar context={context} actions={actions} api={api} />);
