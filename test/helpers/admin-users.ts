import { expect } from 'vitest'
import type { AdminUserView } from '../../src/shared/admin.ts'
import type { AuditEntryView } from '../../src/shared/audit.ts'
import { sessionCookie, TEST_PASSWORD, type TestApp } from './start-app.ts'

/** Calls of the admin API for tests: each checks its status and returns the JSON reply. */
export function adminApi(t: TestApp, cookie: string) {
  const call = async (path: string, method: string, json?: unknown, status = 200) => {
    const res = await t.request(path, { method, cookie, ...(json === undefined ? {} : { json }) })
    const text = await res.text()
    expect(res.status, `${method} ${path}: ${text}`).toBe(status)
    return text ? JSON.parse(text) : undefined
  }
  return {
    call,
    createUser: (body: { email: string; password?: string; role?: 'admin' | 'user' }) =>
      call(
        '/api/admin/users',
        'POST',
        { password: TEST_PASSWORD, ...body },
        201,
      ) as Promise<AdminUserView>,
    setRole: (id: string, role: 'admin' | 'user', status = 200) =>
      call(`/api/admin/users/${id}/role`, 'PUT', { role }, status),
    disable: (id: string, status = 200) =>
      call(`/api/admin/users/${id}/disable`, 'POST', {}, status),
    enable: (id: string, status = 200) =>
      call(`/api/admin/users/${id}/enable`, 'POST', undefined, status),
    remove: (id: string, status = 204) =>
      call(`/api/admin/users/${id}`, 'DELETE', undefined, status),
    resetLink: (id: string) =>
      call(`/api/admin/users/${id}/reset-link`, 'POST', undefined, 201) as Promise<{
        url: string
        expiresAt: string
      }>,
    invite: (email: string, role: 'admin' | 'user' = 'user', status = 201) =>
      call('/api/admin/invitations', 'POST', { email, role }, status) as Promise<{
        invitation: { id: string; email: string }
        link: { url: string; expiresAt: string }
      }>,
    setPolicy: (mode: string, domains: string[] = [], status = 200) =>
      call('/api/admin/registration', 'PUT', { mode, domains }, status),
    audit: async (query: string) =>
      ((await call(`/api/admin/audit?${query}`, 'GET')) as { entries: AuditEntryView[] }).entries,
  }
}

/** Signs in; returns the response (200 with a cookie, or the refusal). */
export async function signIn(t: TestApp, email: string, password = TEST_PASSWORD) {
  const res = await t.request('/api/auth/login', { method: 'POST', json: { email, password } })
  return { res, cookie: sessionCookie(res) }
}

/** The token query parameter of a link made by the admin API. */
export function tokenOf(url: string, name: string): string {
  return new URL(url).searchParams.get(name) as string
}
