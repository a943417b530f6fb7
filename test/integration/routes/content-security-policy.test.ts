import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// A built web app in miniature (index.html and one hashed asset), so this file does not depend on
// `npm run build`; test/e2e/content-security-policy.test.ts loads the real build in Chromium.
let t: TestApp
beforeAll(async () => {
  const webDir = mkdtempSync(join(tmpdir(), 'switchboard-web-'))
  mkdirSync(join(webDir, 'assets'))
  writeFileSync(
    join(webDir, 'index.html'),
    '<!doctype html><title>Switchboard</title><script type="module" src="/assets/index-abc.js"></script><div id="root"></div>',
  )
  writeFileSync(join(webDir, 'assets/index-abc.js'), 'console.log("hi")')
  t = await startApp({ env: { SWITCHBOARD_WEB_DIR: webDir } })
})
afterAll(() => t.close())

/** The header as a map of directive → sources. */
async function policyOf(path: string, init?: Parameters<TestApp['request']>[1]) {
  const res = await t.request(path, init)
  const header = res.headers.get('content-security-policy')
  expect(header, `${path} has no Content-Security-Policy`).toBeTruthy()
  const directives = new Map<string, string[]>()
  for (const part of (header as string).split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) directives.set(name, sources)
  }
  return { res, directives, header: header as string }
}

describe('Content-Security-Policy', () => {
  it('locks the web app to its own origin, with no inline or eval script', async () => {
    for (const path of ['/', '/chat', '/servers/abc']) {
      const { res, directives } = await policyOf(path)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/text\/html/)
      expect(directives.get('default-src')).toEqual(["'self'"])
      expect(directives.get('script-src')).toEqual(["'self'"])
      expect(directives.get('connect-src')).toEqual(["'self'"])
      expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'blob:'])
      expect(directives.get('object-src')).toEqual(["'none'"])
      expect(directives.get('base-uri')).toEqual(["'self'"])
      expect(directives.get('form-action')).toEqual(["'self'"])
      expect(directives.get('frame-ancestors')).toEqual(["'none'"])
      // sonner and Radix add <style> elements at run time (see content-security-policy.ts).
      expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"])
      expect(directives.get('media-src')).toEqual(["'self'", 'data:', 'blob:'])
    }
  })

  it('sends the same policy with the static files', async () => {
    const asset = await policyOf('/assets/index-abc.js')
    expect(asset.res.status).toBe(200)
    const page = await policyOf('/')
    expect(asset.header).toBe(page.header)
  })

  it('gives the API reference a policy of its own that serves Swagger UI from our origin', async () => {
    const { res, directives } = await policyOf('/api/docs')
    expect(res.status).toBe(200)
    expect(directives.get('default-src')).toEqual(["'self'"])
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('connect-src')).toEqual(["'self'"])
    expect(directives.get('frame-ancestors')).toEqual(["'none'"])
    // Swagger UI needs no inline style: stricter than the web app's.
    expect(directives.get('style-src')).toEqual(["'self'"])
    expect(directives.get('img-src')).toEqual(["'self'", 'data:'])
    const init = await policyOf('/api/docs/init.js')
    expect(init.res.status).toBe(200)
  })

  it('forbids every load for API answers, errors included', async () => {
    const { cookie } = await registerUser(t)
    for (const [path, status] of [
      ['/api/auth/me', 200],
      ['/api/openapi.json', 200],
      ['/api/user/mcp-servers/not-a-server', 400],
      ['/api/user/mcp-servers/00000000-0000-4000-8000-000000000000', 404],
      ['/api/nope', 404],
    ] as const) {
      const { res, header } = await policyOf(path, { cookie })
      expect(res.status, path).toBe(status)
      expect(header, path).toBe("default-src 'none'; frame-ancestors 'none'")
    }
  })

  it('keeps the other security headers', async () => {
    for (const path of ['/', '/api/docs', '/api/health']) {
      const res = await t.request(path)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer')
      expect(res.headers.get('content-security-policy'), path).toBeTruthy()
    }
  })
})
