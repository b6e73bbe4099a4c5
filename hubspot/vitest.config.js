import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // JSX through esbuild's automatic runtime (no React plugin needed).
  esbuild: { jsx: 'automatic', jsxImportSource: 'react' },
  resolve: {
    alias: [
      // The per-environment settings module is generated and git-ignored; tests use a fixed stand-in.
      { find: /^\.\/settings\.generated\.js$/,
        replacement: fileURLToPath(new URL('./tests/fixtures/settings.generated.js', import.meta.url)) },
    ],
    // One React for the tests and the components, even if someone ran `npm install` inside an extension folder.
    dedupe: ['react', 'react-reconciler', '@remote-ui/react', '@remote-ui/core', '@hubspot/ui-extensions'],
  },
  test: {
    environment: 'node',
    include: ['tests/**/*.test.{js,jsx}'],
    setupFiles: ['tests/setup.js'],
    testTimeout: 10000,
    restoreMocks: true,
  },
});
