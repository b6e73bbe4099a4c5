// Entry point of the HubBooks app settings page.
import React from 'react';
import { hubspot } from '@hubspot/ui-extensions';
// Shared, package-free modules live with the cards (one API client, one config constant).
import { createApi } from '../cards/lib/api.js';
import { SettingsPage } from './SettingsPage.jsx';

const api = createApi(hubspot.fetch);

hubspot.extend(({ context, actions }) => <SettingsPage context={context} actions={actions} api={api} />);
