import { z } from 'zod'

/** `POST /api/user/mcp-servers/:id/oauth/start`: where to send the browser to sign in. */
export const OAuthStartReplySchema = z
  .object({
    /** The authorization server's sign-in page, with PKCE, state and resource parameters. */
    authorizationUrl: z.url({ protocol: /^https?$/ }),
  })
  .meta({ id: 'OAuthStartReply' })
export type OAuthStartReply = z.infer<typeof OAuthStartReplySchema>

/**
 * The query the authorization server sends the browser back with to `GET /api/oauth/callback`
 * (RFC 6749 §4.1.2 and §4.1.2.1, RFC 9207 `iss`). Lengths are capped: it comes from the outside.
 */
export const OAuthCallbackQuerySchema = z.object({
  state: z.string().min(1).max(512),
  code: z.string().min(1).max(4096).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
})
export type OAuthCallbackQuery = z.infer<typeof OAuthCallbackQuerySchema>
