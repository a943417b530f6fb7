import { z } from 'zod'
import { reasonOf } from '../../../shared/error-reasons.ts'
import type { McpAuthInput, McpAuthView } from '../../../shared/mcp-servers.ts'
import type { SecretBox } from '../../crypto/secret-box.ts'
import type { McpAuthType } from '../../db/schema.ts'
import { ValidationError } from '../../errors.ts'

/** What `mcp_servers.auth_data` holds once opened. Only ever stored sealed. */
export const AuthDataSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bearer'), token: z.string() }),
  z.object({
    type: z.literal('headers'),
    headers: z.array(z.object({ name: z.string(), value: z.string() })),
  }),
  z.object({
    type: z.literal('oauth'),
    clientSecret: z.string().optional(),
    tokens: z.record(z.string(), z.unknown()).optional(),
    clientInformation: z.record(z.string(), z.unknown()).optional(),
    codeVerifier: z.string().optional(),
  }),
])
export type AuthData = z.infer<typeof AuthDataSchema>

export function sealAuthData(
  box: SecretBox,
  ownerId: string | null,
  data: AuthData | null,
): string | null {
  return data ? box.sealJson(ownerId, data) : null
}

export function openAuthData(
  box: SecretBox,
  ownerId: string | null,
  envelope: string | null,
): AuthData | null {
  return envelope ? box.openJson(ownerId, envelope, AuthDataSchema) : null
}

/**
 * Applies an auth change. Secrets are write-only, so an omitted token or header value keeps the
 * stored one; a new credential without its secret is refused naming the field.
 */
export function applyAuthInput(
  existing: AuthData | null,
  input: McpAuthInput,
): { type: McpAuthType; data: AuthData | null } {
  switch (input.type) {
    case 'none':
      return { type: 'none', data: null }
    case 'bearer': {
      const token = input.token ?? (existing?.type === 'bearer' ? existing.token : undefined)
      if (!token)
        throw new ValidationError([
          {
            field: 'auth.token',
            message: 'a token is required',
            reason: reasonOf('server.tokenRequired', {}),
          },
        ])
      return { type: 'bearer', data: { type: 'bearer', token } }
    }
    case 'headers': {
      const previous = existing?.type === 'headers' ? existing.headers : []
      const headers = input.headers.map((header, index) => {
        const value =
          header.value ??
          previous.find((p) => p.name.toLowerCase() === header.name.toLowerCase())?.value
        if (value === undefined) {
          throw new ValidationError([
            {
              field: `auth.headers.${index}.value`,
              message: `a value for ${header.name} is required`,
              reason: reasonOf('server.headerValueRequired', { name: header.name }),
            },
          ])
        }
        return { name: header.name, value }
      })
      return { type: 'headers', data: { type: 'headers', headers } }
    }
    case 'oauth': {
      const kept = existing?.type === 'oauth' ? existing : { type: 'oauth' as const }
      return {
        type: 'oauth',
        data: { ...kept, ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}) },
      }
    }
  }
}

/** The headers that carry a server's credentials on every request. */
export function authHeaders(data: AuthData | null): Record<string, string> {
  if (data?.type === 'bearer') return { Authorization: `Bearer ${data.token}` }
  if (data?.type === 'headers')
    return Object.fromEntries(data.headers.map((h) => [h.name, h.value]))
  return {}
}

/** The reply's view of auth: kind and whether a secret is set, from non-secret columns only. */
export function toAuthView(row: {
  auth_type: McpAuthType
  auth_data: string | null
  config: Record<string, unknown>
}): McpAuthView {
  const view: McpAuthView = { type: row.auth_type, secretSet: row.auth_data !== null }
  const headerNames = row.config.headerNames
  if (row.auth_type === 'headers' && Array.isArray(headerNames)) {
    view.headerNames = headerNames.map(String)
  }
  if (row.auth_type === 'oauth') view.connected = row.config.oauthConnected === true
  return view
}
