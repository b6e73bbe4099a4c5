// Entry point of the HubBooks app settings page.
import React from 'react';
import { hubspot } from '@hubspot/ui-extensions';
import { createApi } from '@hubbooks/ui-shared/api';
import { SettingsPage } from './SettingsPage.jsx';

const api = createApi(hubspot.fetch);

hubspot.extend(({ context, actions }) => <SettingsPage context={context} actions={actions} api={api} />);
