import { createApp } from '../../src/server/app.ts'
import type { AppDeps } from '../../src/server/app-deps.ts'
import type { Config } from '../../src/server/config/config.ts'
import { type BuildDepsOptions, buildDeps } from '../../src/server/deps.ts'
import type { Logger } from '../../src/server/log.ts'
import { testConfig } from './test-config.ts'
import { openTestDatabase, type TestDatabase } from './test-db.ts'

export interface TestApp {
  app: ReturnType<typeof createApp>
  deps: AppDeps
  database: TestDatabase
  /** `app.request()` with a JSON body and an Origin like the browser's. */
  request(path: string, init?: RequestInitJson): Promise<Response>
  close(): Promise<void>
}

export interface RequestInitJson extends Omit<RequestInit, 'body'> {
  json?: unknown
  /** A raw body (with its own content-type header), for what `json` cannot express. */
  body?: string
  cookie?: string
  token?: string
}

/**
 * The real app on a fresh migrated database (one per test file: start in beforeAll). Requests
 * go through `app.request()`, Hono's way, with no port.
 */
export async function startApp(
  options: {
    config?: Partial<Config>
    env?: Record<string, string>
    /** The app's logger, for a test that reads what it logs. */
    log?: Logger
    /** Serves OAuth Client ID Metadata Documents of made-up HTTPS hosts. */
    fetchClientMetadata?: BuildDepsOptions['fetchClientMetadata']
  } = {},
): Promise<TestApp> {
  const config = testConfig(options.env, options.config)
  const database = await openTestDatabase()
  const log = options.log ? { log: options.log } : {}
  const built = await buildDeps(config, {
    database,
    migrate: true,
    ...log,
    fetchClientMetadata: options.fetchClientMetadata,
  })
  const app = createApp(built.deps)
  return {
    app,
    deps: built.deps,
    database,
    request: async (path, init = {}) => {
      const { json, cookie, token, headers, ...rest } = init
      const h = new Headers(headers)
      if (json !== undefined) h.set('content-type', 'application/json')
      if (cookie) h.set('cookie', cookie)
      if (token) h.set('authorization', `Bearer ${token}`)
      return app.request(path, {
        ...rest,
        headers: h,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      })
    },
    close: async () => {
      await built.close()
      await database.close()
    },
  }
}

let counter = 0

/** A unique email per call, so every test sets up its own user. */
export function uniqueEmail(label = 'user'): string {
  counter += 1
  return `${label}-${process.pid}-${counter}-${Date.now()}@example.test`
}

export const TEST_PASSWORD = 'correct horse battery staple'

/** Registers a new user through the API and returns its session cookie. */
export async function registerUser(
  t: TestApp,
  email = uniqueEmail(),
): Promise<{ cookie: string; userId: string; email: string }> {
  const res = await t.request('/api/auth/register', {
    method: 'POST',
    json: { email, password: TEST_PASSWORD },
  })
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { user: { id: string } }
  return { cookie: sessionCookie(res), userId: body.user.id, email }
}

/** `name=value` of the Set-Cookie headers, ready for a Cookie header. */
export function sessionCookie(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
}
