// The one place the UI learns where the HubBooks API lives and whom to ask for help.
//
// The values come from `settings.generated.js`, which `make hubspot-config STAGE=<stage>` writes from the deployed
// stack's outputs (it is git-ignored: every environment has its own). If the file is missing, the build fails
// with "Could not resolve ./settings.generated.js": run that command before `hs project upload`.
import { GENERATED_SETTINGS } from './settings.generated.js';

export const API_BASE_URL = GENERATED_SETTINGS.apiBaseUrl;
export const SUPPORT_EMAIL = GENERATED_SETTINGS.supportEmail;
export const SUPPORT_URL = GENERATED_SETTINGS.supportUrl;
export const STAGE = GENERATED_SETTINGS.stage;

// hubspot.fetch allows at most 15 s per call; invoice creation can take most of that.
export const REQUEST_TIMEOUT_MS = 15000;
