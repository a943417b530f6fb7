import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { z } from 'zod'
import type { FieldIssue } from '../../shared/errors.ts'
import { ErrorEnvelopeSchema } from '../../shared/errors.ts'
import type { Env } from '../env.ts'
import { ValidationError } from '../errors.ts'
import { fromZodIssue } from '../field-issues.ts'

/** A sub-app whose zod validation failures answer 400 naming every bad field. */
export function createRouter() {
  return new OpenAPIHono<Env>({
    defaultHook: (result) => {
      if (!result.success) throw new ValidationError(toFieldIssues(result.error))
    },
  })
}

/** Each zod issue as a field issue: readable English, and a reason the UI translates. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map(fromZodIssue)
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: `error.details.fields` names each bad field',
  401: 'Not signed in, or the API token is invalid',
  403: 'Not allowed',
  404: 'Not found (or not yours)',
  409: 'Conflict',
  413: 'Too large: `error.details.maxBytes` says how large it may be',
  415: 'This kind of content is not accepted',
  422: 'The upstream MCP server refused (e.g. 401: check the token)',
  429: 'Too many requests: see Retry-After',
  502: 'The upstream MCP server failed or could not be reached',
  503: 'Unavailable',
  504: 'The upstream MCP server timed out',
}

/** OpenAPI entries for the error statuses a route can answer, all with the shared envelope. */
export function errorResponses(...statuses: (keyof typeof DESCRIPTIONS)[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: ErrorEnvelopeSchema } },
      },
    ]),
  )
}

/** `{ content: { 'application/json': { schema } } }`, the shape every JSON body takes. */
export function json<T extends z.ZodType>(schema: T, description = 'OK') {
  return { description, content: { 'application/json': { schema } } }
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } }
}

/** Passes the auth library's Set-Cookie headers on to the reply. */
export function forwardCookies(c: Context, headers: Headers): void {
  for (const cookie of headers.getSetCookie()) c.header('set-cookie', cookie, { append: true })
}

/** Routes that take a session cookie or an API token. */
export const USER_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }]
