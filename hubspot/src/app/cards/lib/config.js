// The one place the UI learns where the HubBooks API lives.
// Paste the stack's `ApiUrl` output here (no trailing slash), and the same origin into
// src/app/app-hsmeta.json -> config.permittedUrls.fetch (and .iframe, for invoice previews).
// This file imports no packages: the settings page imports it from ../cards/lib too.
export const API_BASE_URL = 'https://REPLACE-WITH-ApiUrl-OUTPUT';

// hubspot.fetch allows at most 15 s per call; invoice creation can take most of that.
export const REQUEST_TIMEOUT_MS = 15000;
