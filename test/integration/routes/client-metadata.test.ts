import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../../helpers/start-app.ts'

// Switchboard's Client ID Metadata Document: public, at the URL that is its OAuth client id.

let t: TestApp

beforeAll(async () => {
  t = await startApp({ config: { publicUrl: 'https://switchboard.example' } })
}, 60_000)
afterAll(() => t?.close())

describe('GET /api/oauth/client-metadata.json', () => {
  it('answers anyone with the document whose client_id is its own URL', async () => {
    const res = await t.request('/api/oauth/client-metadata.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400')
    const document = await res.json()
    expect(document.client_id).toBe('https://switchboard.example/api/oauth/client-metadata.json')
    expect(document.redirect_uris).toEqual(['https://switchboard.example/api/oauth/callback'])
    expect(document.token_endpoint_auth_method).toBe('none')
  })
})
