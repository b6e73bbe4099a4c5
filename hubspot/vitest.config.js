import { defineConfig } from 'vitest/config';

export default defineConfig({
  // JSX through esbuild's automatic runtime (no React plugin needed).
  esbuild: { jsx: 'automatic', jsxImportSource: 'react' },
  resolve: {
    // One React for the tests and the components, even if someone ran `npm install` inside src/app/cards.
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
