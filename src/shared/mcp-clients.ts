import { z } from 'zod'

/** How an MCP client presents itself, and who vouches for that. */
const ClientFaceSchema = z.object({
  clientId: z.string(),
  /** As the client names itself: unverified unless `verifiedBy` is set. */
  name: z.string().nullable(),
  uri: z.string().nullable(),
  /** Where the client's sign-in returns to (a loopback address for desktop apps). */
  redirectHost: z.string(),
  /** The host that serves the client's metadata document (CIMD); null: self-registered. */
  verifiedBy: z.string().nullable(),
})

/** An MCP client the user signed in to their endpoint with OAuth (Settings → Connected apps). */
export const ConnectedClientSchema = ClientFaceSchema.extend({
  /** The endpoint profile it gets; null: all the user's tools. */
  profile: z.object({ id: z.string(), name: z.string() }).nullable(),
  connectedAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
}).meta({ id: 'ConnectedClient' })
export type ConnectedClient = z.infer<typeof ConnectedClientSchema>

export const ConnectedClientListSchema = z
  .object({ clients: z.array(ConnectedClientSchema) })
  .meta({ id: 'ConnectedClientList' })

/** The query string the authorization server sent the consent page with (signed by it). */
const OAuthQuerySchema = z.string().min(1).max(8_000)

export const ConsentQuerySchema = z.object({ oauthQuery: OAuthQuerySchema })

/** What the consent page shows before the user answers. */
export const ConsentRequestSchema = ClientFaceSchema.extend({
  scopes: z.array(z.string()),
  /** The profile the client has now, when it signed in before. */
  profileId: z.string().nullable(),
}).meta({ id: 'ConsentRequest' })
export type ConsentRequest = z.infer<typeof ConsentRequestSchema>

export const ConsentAnswerSchema = z
  .object({
    accept: z.boolean(),
    /** The endpoint profile the client gets; null: all the user's tools. */
    profileId: z.string().min(1).max(100).nullable(),
    oauthQuery: OAuthQuerySchema,
  })
  .strict()
  .meta({ id: 'ConsentAnswer' })
export type ConsentAnswer = z.infer<typeof ConsentAnswerSchema>

/** Where the browser goes next: the client's redirect, with the code or the refusal. */
export const ConsentRedirectSchema = z.object({ url: z.string() }).meta({ id: 'ConsentRedirect' })
