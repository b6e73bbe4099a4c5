// @hubbooks/ui-shared: what the app card and the settings page share (an npm workspace package, so each
// extension builds on its own folder, as HubSpot builds it).
export * from './api.js';
export * from './config.js';
export * from './format.js';
export * from './notices.jsx';
