import { z } from 'zod'

/**
 * Every reason the server gives for an error, with the names of its parameters. The UI shows
 * `errors.reasons.<key>` (en.json, de.json) filled with the parameters, so people read the
 * reason in their language; the English `message` next to it stays for programs and logs. A
 * unit test checks that both languages have each key with exactly these parameters.
 */
export const ERROR_REASONS = {
  // An MCP server could not be used (mcp/client/upstream-errors.ts and what it classifies).
  'upstream.timedOut': ['seconds'],
  'upstream.timedOutNoLimit': [],
  'upstream.ssrf.portOnly': ['host', 'ports'],
  'upstream.ssrf.blocked': ['host', 'kind'],
  'upstream.ssrf.loopbackName': ['host'],
  'upstream.ssrf.resolvesToBlocked': ['host', 'address', 'kind'],
  'upstream.ssrf.tooManyRedirects': ['host', 'max'],
  'upstream.url.invalid': [],
  'upstream.url.scheme': ['scheme'],
  'upstream.url.credentials': [],
  'upstream.url.redirectInvalid': ['host'],
  'upstream.endpoint.stdio': [],
  'upstream.endpoint.needsUrl': ['transport'],
  'upstream.endpoint.urlScheme': ['transport', 'schemes'],
  'upstream.endpoint.needsCommand': [],
  'upstream.http.unauthorized': ['status'],
  'upstream.http.forbidden': ['status'],
  'upstream.http.notFound': ['status', 'url'],
  'upstream.http.methodNotAllowed': ['status', 'url'],
  'upstream.http.tooManyRequests': ['status'],
  'upstream.http.unavailable': ['status'],
  'upstream.http.redirect': ['status', 'url'],
  'upstream.http.serverError': ['status'],
  'upstream.http.serverErrorSaid': ['status', 'said'],
  'upstream.http.clientError': ['status'],
  'upstream.http.clientErrorSaid': ['status', 'said'],
  'upstream.http.notMcp': ['status'],
  'upstream.http.sessionLost': ['status'],
  'upstream.html': [],
  'upstream.unexpectedContent': [],
  'upstream.notMcp': [],
  'upstream.tooLarge': ['limit'],
  'upstream.badPort': ['port'],
  'upstream.dns': ['host'],
  'upstream.dnsTemporary': ['host'],
  'upstream.connectionRefused': ['address'],
  'upstream.connectionClosed': [],
  'upstream.connectTimeout': ['address'],
  'upstream.noRoute': ['address'],
  'upstream.tls.expired': ['host'],
  'upstream.tls.selfSigned': ['host'],
  'upstream.tls.untrusted': ['host'],
  'upstream.tls.hostMismatch': ['host'],
  'upstream.tls.plainHttp': ['host'],
  'upstream.tls.failed': ['host', 'code'],
  'upstream.spawn.notFound': ['command'],
  'upstream.spawn.denied': ['command'],
  'upstream.spawn.failed': ['command', 'code'],
  'upstream.jsonRpcError': ['said', 'code'],
  'upstream.protocolVersion': ['version'],
  'upstream.websocketSubprotocol': [],
  'upstream.processExited': [],
  'upstream.invalidMcp': [],
  'upstream.cancelled': [],
  'upstream.failed': [],
  'upstream.failedWith': ['detail'],
  'upstream.circuitOpen': ['failures', 'seconds'],
  'upstream.circuitOpenBriefly': ['failures'],
  'upstream.signInAgain': [],
  // Signing in to an MCP server with OAuth (src/server/mcp/oauth/flow.ts).
  'oauth.signInPageNotHttp': [],
  'oauth.expired': [],
  'oauth.noCode': [],
  'oauth.notOAuth': ['authType'],
  'oauth.needsHttpServer': [],
  'oauth.notOAuthResponse': [],
  'oauth.notOAuthResponseStatus': ['status'],
  'oauth.refused': ['said'],
  'oauth.registrationRefused': ['said'],
  'oauth.issuerMismatch': [],
  'oauth.insecureTokenEndpoint': [],
  'oauth.timeout': [],
  'oauth.noRegistration': [],
  'oauth.unreachable': [],
  'oauth.failed': ['detail'],
  // Servers and tools (src/server/mcp/servers/servers.ts and friends).
  'server.nameTaken': ['name'],
  'server.nameInUse': [],
  'server.shared': ['name'],
  'server.tokenRequired': [],
  'server.headerValueRequired': ['name'],
  'server.adminOnlyAccept': [],
  // Reading a server's resources (src/server/mcp/servers/resources.ts).
  'resource.serverDisabled': ['server'],
  'resource.tooLarge': ['bytes', 'limit'],
  'prompt.serverDisabled': ['server'],
  'prompt.tooLarge': ['bytes', 'limit'],
  // Tool calls (src/server/toolcalls/).
  'toolCall.serverDisabled': ['server'],
  'toolCall.toolDisabled': ['tool', 'server'],
  'toolCall.toolChanged': ['tool', 'server'],
  'toolCall.appOtherServer': ['tool'],
  'toolCall.appApprovalRequired': ['tool'],
  'app.unavailable': ['tool'],
  'app.renderingOff': ['server'],
  'toolCall.argumentsInvalid': ['tool'],
  'toolCall.argumentsTooLarge': ['bytes', 'limit'],
  'toolCall.notRecorded': ['tool'],
  'toolCall.resultNotStored': [],
  'toolCall.lost': ['tool'],
  'toolCall.cancelled': [],
  'toolCall.stopped': [],
  'toolCall.shutdown': [],
  'toolCall.interrupted': [],
  'toolCall.taskTimeout': ['seconds'],
  'toolCall.tooManyRunning': ['count'],
  'toolCall.rateLimitUser': ['count', 'seconds'],
  'toolCall.rateLimitServer': ['count', 'seconds'],
  // The model's answer in chat (src/server/chat/chat-errors.ts).
  'answer.noSuchTool': ['tool'],
  'answer.invalidToolInput': ['tool'],
  'answer.internal': [],
  'answer.provider.credentials': ['status', 'key'],
  'answer.provider.noCredits': [],
  'answer.provider.rateLimited': [],
  'answer.provider.failed': ['status'],
  'answer.provider.refused': ['status', 'said'],
  'answer.provider.unreachable': [],
  'answer.provider.stopped': ['said'],
  'answer.provider.brokeOff': [],
  // Model providers and limits set by the admin (src/server/admin/model-providers.ts, usage).
  'modelProvider.http': ['status', 'url'],
  'modelProvider.unauthorized': ['status'],
  'modelProvider.notJson': ['url'],
  'modelProvider.noModelList': ['url'],
  'modelProvider.timeout': ['url', 'seconds'],
  'modelProvider.unreachable': ['url'],
  'modelProvider.setByEnvironment': [],
  'modelProvider.keyRequired': [],
  'modelProvider.urlRequired': [],
  'modelProvider.nameTaken': ['name'],
  'modelProvider.modelTaken': ['model', 'provider'],
  'modelProvider.notOffered': ['model'],
  'modelProvider.userKeysOff': [],
  'messageLimit.reached': ['limit'],
  // Any request (src/server/routes/middleware, json-limits.ts).
  'request.notJson': [],
  'request.tooLarge': ['size'],
  'request.tooDeep': ['depth'],
  'request.nul': [],
  'request.badCursor': [],
  // One bad value in a request or in a tool's arguments (zod issues, JSON Schema errors).
  'validation.required': [],
  'validation.type.string': [],
  'validation.type.number': [],
  'validation.type.integer': [],
  'validation.type.boolean': [],
  'validation.type.object': [],
  'validation.type.array': [],
  'validation.type.null': [],
  'validation.minLength': ['count'],
  'validation.maxLength': ['count'],
  'validation.minItems': ['count'],
  'validation.maxItems': ['count'],
  'validation.minimum': ['limit'],
  'validation.maximum': ['limit'],
  'validation.exclusiveMinimum': ['limit'],
  'validation.exclusiveMaximum': ['limit'],
  'validation.multipleOf': ['divisor'],
  'validation.oneOf': ['values'],
  'validation.const': ['value'],
  'validation.format': ['format'],
  'validation.email': [],
  'validation.url': [],
  'validation.uuid': [],
  'validation.datetime': [],
  'validation.pattern': [],
  'validation.unknownProperty': ['name'],
  'validation.uniqueItems': [],
  'validation.invalid': [],
} as const satisfies Record<string, readonly string[]>

export type ErrorReasonKey = keyof typeof ERROR_REASONS
type ParamsOf<K extends ErrorReasonKey> = Record<(typeof ERROR_REASONS)[K][number], string | number>

/** Parameter values are plain text or numbers: the UI puts them into the sentence as they are. */
const ReasonParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]))

/**
 * Why an error happened, as a message id and its parameters (`{ key: 'upstream.dns', params:
 * { host: 'mcp.example.com' } }`). Clients translate `errors.reasons.<key>`; a key they do not
 * know falls back to the English `message` beside it.
 */
export const ErrorReasonSchema = z
  .object({ key: z.string().max(100), params: ReasonParamsSchema.optional() })
  .meta({ id: 'ErrorReason' })
export type ErrorReason = z.infer<typeof ErrorReasonSchema>

/** A reason from the catalogue, with exactly its parameters (checked by the compiler). */
export function reasonOf<K extends ErrorReasonKey>(key: K, params: ParamsOf<K>): ErrorReason {
  return Object.keys(params).length > 0 ? { key, params } : { key }
}
