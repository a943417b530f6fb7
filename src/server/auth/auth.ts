import { createHmac } from 'node:crypto'
import { betterAuth } from 'better-auth'
import { admin } from 'better-auth/plugins'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/database.ts'
import {
  OAUTH_ERROR_PAGE,
  type OAuthProviderOptions,
  oauthProviderPlugins,
} from '../gateway/oauth-provider.ts'
import type { Logger } from '../log.ts'
import { hashPassword, verifyPassword } from './password.ts'
import { keepResetToken } from './reset-tokens.ts'
import { ssoPlugins } from './sso-plugins.ts'

/** How long an admin's password-reset link works. */
export const RESET_LINK_TTL_SECONDS = 24 * 60 * 60

/**
 * better-auth owns accounts, password credentials and cookie sessions: a maintained library for
 * the part where home-made code fails. We call its server API from our own thin routes (so every
 * endpoint keeps our zod validation, error envelope and OpenAPI entry) and never mount its
 * catch-all handler, except for the OAuth authorization server of the MCP endpoint, whose wire
 * format the RFCs fix (routes/oauth-provider.ts mounts those paths only). Columns are mapped to
 * our snake_case tables from migrations/0001 and 0017.
 */
export function createAuth(deps: {
  db: Db
  config: Config
  log: Logger
  fetchClientMetadata?: OAuthProviderOptions['fetchClientMetadata']
  /** false: a one-shot command (the CLI): no OAuth provider, no single sign-on. */
  web?: boolean
}) {
  const { config } = deps
  const log = deps.log.child({ component: 'auth' })
  return betterAuth({
    appName: 'Switchboard',
    baseURL: config.publicUrl,
    basePath: '/api/auth',
    // The cookie-signing secret is derived, so one master key is all an operator keeps.
    secret: createHmac('sha256', config.secretKey).update('switchboard/auth-cookie').digest('hex'),
    database: { db: deps.db, type: 'postgres' },
    telemetry: { enabled: false },
    // Its own console logger would bypass our redaction; failed sign-ins are logged by us.
    logger: {
      log: (level, message) => {
        if (level === 'error') log.error(message)
        else log.debug(message)
      },
    },
    emailAndPassword: {
      enabled: true,
      autoSignIn: false,
      minPasswordLength: 10,
      maxPasswordLength: 256,
      password: { hash: hashPassword, verify: verifyPassword },
      // Reset links are made for an admin to copy (admin/user-admin.ts), never mailed.
      sendResetPassword: keepResetToken,
      resetPasswordTokenExpiresIn: RESET_LINK_TTL_SECONDS,
      revokeSessionsOnPasswordReset: true,
    },
    session: {
      modelName: 'sessions',
      expiresIn: config.auth.sessionDays * 24 * 60 * 60,
      updateAge: 24 * 60 * 60,
      fields: {
        userId: 'user_id',
        expiresAt: 'expires_at',
        ipAddress: 'ip_address',
        userAgent: 'user_agent',
        createdAt: 'created_at',
        updatedAt: 'updated_at',
      },
    },
    user: {
      modelName: 'users',
      fields: {
        emailVerified: 'email_verified',
        createdAt: 'created_at',
        updatedAt: 'updated_at',
      },
      additionalFields: {
        role: { type: 'string', required: false, defaultValue: 'user', input: false },
      },
    },
    account: {
      modelName: 'accounts',
      fields: {
        userId: 'user_id',
        accountId: 'account_id',
        providerId: 'provider_id',
        accessToken: 'access_token',
        refreshToken: 'refresh_token',
        idToken: 'id_token',
        accessTokenExpiresAt: 'access_token_expires_at',
        refreshTokenExpiresAt: 'refresh_token_expires_at',
        createdAt: 'created_at',
        updatedAt: 'updated_at',
      },
    },
    verification: {
      modelName: 'verifications',
      fields: { expiresAt: 'expires_at', createdAt: 'created_at', updatedAt: 'updated_at' },
    },
    advanced: {
      useSecureCookies: config.publicUrl.startsWith('https://'),
      cookiePrefix: 'switchboard',
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
      // Our migrations own the schema (and the tests exercise every mapped column); its
      // background check would also race one-shot CLI commands that close the database.
      database: { validateSchema: false },
    },
    // Our own limiter (auth/login-limiter.ts) guards sign-in; the OAuth paths we mount are
    // limited by our API limiter.
    rateLimit: { enabled: false },
    // `users.last_sign_in_at`, for the admin's user list: whenever a session is created, by any
    // sign-in method.
    databaseHooks: {
      session: {
        create: {
          after: async (session) => {
            await deps.db
              .updateTable('users')
              .set({ last_sign_in_at: session.createdAt })
              .where('id', '=', session.userId)
              .execute()
          },
        },
      },
    },
    // Disabled accounts: the admin plugin's banned fields, and its refusal to open a session for
    // a banned user (every sign-in method). Our admin routes call it or do as it does
    // (admin/user-admin.ts). A one-shot command signs nobody in over the web: it leaves out the
    // OAuth provider and SSO, and so does not race the provider's startup writes against
    // closing the database.
    plugins: [
      admin({
        bannedUserMessage: 'this account is disabled: ask an admin',
        schema: {
          user: { fields: { banReason: 'ban_reason', banExpires: 'ban_expires' } },
          session: { fields: { impersonatedBy: 'impersonated_by' } },
        },
      }),
      ...(deps.web === false
        ? []
        : [
            ...oauthProviderPlugins({ config, fetchClientMetadata: deps.fetchClientMetadata }),
            // Single sign-on with an OpenID Connect provider, when `auth.oidc` is set
            // (auth/sso-plugins.ts).
            ...ssoPlugins({ config, db: deps.db }),
          ]),
    ],
    // A broken authorization request (a bad link from an MCP client) lands on a page of ours.
    onAPIError: { errorURL: `${config.publicUrl.replace(/\/$/, '')}${OAUTH_ERROR_PAGE}` },
  })
}

export type Auth = ReturnType<typeof createAuth>
