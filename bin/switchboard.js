#!/usr/bin/env node
// Runs the server bundle (dist/server, built by `npm start` and `npm run build`) while it is newer
// than every source it was built from; otherwise the TypeScript sources through tsx, so
// `npx switchboard` works right after `npm install` and always runs the code as it is now.
import { pathToFileURL } from 'node:url'
import { currentServerBundle } from '../scripts/build-server.mjs'

const bundle = currentServerBundle()
if (bundle) {
  await import(pathToFileURL(bundle).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli/index.ts')
}
