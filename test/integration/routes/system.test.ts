import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../../helpers/start-app.ts'
import { TEST_DB_KIND } from '../../helpers/test-db.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp()
})
afterAll(() => t.close())

describe('GET /api/health', () => {
  it('reports the version and a reachable database', async () => {
    const res = await t.request('/api/health')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ status: 'ok', database: { kind: TEST_DB_KIND, reachable: true } })
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/)
    expect(res.headers.get('x-request-id')).toBeTruthy()
  })
})

describe('GET /api/openapi.json', () => {
  it('documents every route with its schemas and the error envelope', async () => {
    const doc = await (await t.request('/api/openapi.json')).json()
    expect(doc.openapi).toBe('3.1.0')
    for (const path of [
      '/api/health',
      '/api/auth/register',
      '/api/auth/login',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/user/tokens',
      '/api/user/tokens/{id}',
    ]) {
      expect(doc.paths, path).toHaveProperty([path])
    }
    expect(doc.components.schemas).toHaveProperty('Error')
    expect(doc.components.schemas).toHaveProperty('Register')
  })

  it('serves a browsable API reference from our own origin', async () => {
    const page = await t.request('/api/docs')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('/api/docs/assets/swagger-ui-bundle.js')
    const asset = await t.request('/api/docs/assets/swagger-ui-bundle.js')
    expect(asset.status).toBe(200)
  })
})
