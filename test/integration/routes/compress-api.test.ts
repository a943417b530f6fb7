import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp()
})
afterAll(() => t.close())

describe('API answers (routes/middleware/compress-api.ts)', () => {
  it('gzips JSON for a client that takes it, and only then', async () => {
    const zipped = await t.request('/api/openapi.json', {
      headers: { 'accept-encoding': 'gzip, br' },
    })
    expect(zipped.status).toBe(200)
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    expect(zipped.headers.get('vary')).toMatch(/accept-encoding/i)
    const packed = Buffer.from(await zipped.arrayBuffer())
    const document = JSON.parse(gunzipSync(packed).toString('utf8')) as { openapi: string }
    expect(document.openapi).toMatch(/^3\./)

    const plain = await t.request('/api/openapi.json')
    expect(plain.headers.get('content-encoding')).toBeNull()
    const text = await plain.text()
    expect(JSON.parse(text)).toEqual(document)
    expect(packed.length).toBeLessThan(text.length / 4)
  })

  it('gzips errors too, in the same envelope', async () => {
    const res = await t.request('/api/user/mcp-servers', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.status).toBe(401)
    expect(res.headers.get('content-encoding')).toBe('gzip')
    const body = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8'))
    expect(body.error.code).toBeTruthy()
  })

  it('sends answers to writes as they are: small, and on the path of every tool call', async () => {
    const res = await t.request('/api/auth/login', {
      method: 'POST',
      headers: { 'accept-encoding': 'gzip', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'not-the-password' }),
    })
    expect(res.status).toBe(401)
    expect(res.headers.get('content-encoding')).toBeNull()
    expect((await res.json()).error.code).toBeTruthy()
  })

  it('never compresses the server-sent events, which must arrive one by one', async () => {
    const { cookie } = await registerUser(t)
    const controller = new AbortController()
    const res = await t.request('/api/events', {
      cookie,
      headers: { 'accept-encoding': 'gzip, deflate, br' },
      signal: controller.signal,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(res.headers.get('content-encoding')).toBeNull()
    controller.abort()
    await res.body?.cancel().catch(() => {})
  })
})
