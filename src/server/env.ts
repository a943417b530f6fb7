import type { AppDeps } from './app-deps.ts'
import type { Logger } from './log.ts'

/** The signed-in caller, as middleware hands it to handlers. */
export interface CurrentUser {
  id: string
  email: string
  name: string
  role: 'admin' | 'user'
  createdAt: Date
  via: 'session' | 'token'
}

/** The app's Hono environment, declared once: every sub-app and middleware uses it. */
export interface Env {
  Variables: {
    deps: AppDeps
    log: Logger
    requestId: string
    ip: string
    user: CurrentUser
  }
}
