// HubSpot's lint rules for UI extensions (no parent imports, no browser-only APIs, no HTML elements...), applied
// to the extensions and the shared package exactly as `hs project lint` would, with warnings treated as errors.
import { config as hubspotUiExtensions } from '@hubspot/eslint-config-ui-extensions';

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', 'tests/**', 'scripts/**', 'vitest.config.js', 'eslint.config.js'] },
  ...hubspotUiExtensions,
];
