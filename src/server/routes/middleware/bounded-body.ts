import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import { reasonOf } from '../../../shared/error-reasons.ts'
import type { Env } from '../../env.ts'
import { AppError, ValidationError } from '../../errors.ts'
import { findJsonProblem } from '../../json-limits.ts'

export interface BodyLimits {
  /** Bytes any request body may have. */
  maxBytes: number
  /** Larger (or smaller) limits for some paths, by exact path. */
  byPath?: Record<string, number>
}

/**
 * Bounds every request at the edge, before any handler sees it: a body over its size limit is
 * refused with 413 (by its Content-Length before reading, or as soon as a chunked body passes the
 * limit); a JSON body must parse, nest at most MAX_JSON_DEPTH levels and hold no NUL (400 naming
 * the field); so do query parameters and the path (`checkUrl`). The parsed body is cached on the request, so the route's
 * validator does not parse it again.
 */
export function boundedBody(limits: BodyLimits) {
  return createMiddleware<Env>(async (c, next) => {
    checkUrl(c.req.url)
    if (!c.req.raw.body) return next()
    const maxBytes = limits.byPath?.[c.req.path] ?? limits.maxBytes
    const limit = bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw tooLarge(maxBytes)
      },
    })
    return limit(c, async () => {
      if (isJson(c.req.header('content-type'))) await checkJson(c.req.json.bind(c.req))
      await next()
    })
  })
}

function isJson(contentType: string | undefined): boolean {
  return /^application\/([\w.+-]+\+)?json\b/i.test(contentType ?? '')
}

async function checkJson(read: () => Promise<unknown>): Promise<void> {
  let body: unknown
  try {
    body = await read()
  } catch (error) {
    // A syntax error, or a nesting so deep the parser itself ran out of stack.
    throw new AppError('bad_request', 'the body is not valid JSON', {
      cause: error,
      reason: reasonOf('request.notJson', {}),
    })
  }
  const problem = findJsonProblem(body)
  if (problem) throw new ValidationError([problem])
}

/**
 * The path and the query hold no NUL: a path parameter or a query value reaches the database as
 * text, which cannot hold one (PostgreSQL refuses it: that would be a 500).
 */
export function nulFreeUrl() {
  return createMiddleware<Env>(async (c, next) => {
    checkUrl(c.req.url)
    await next()
  })
}

function checkUrl(url: string): void {
  const query = url.indexOf('?')
  const path = new URL(url).pathname
  if (/%00/.test(path)) {
    throw new ValidationError([
      { field: 'path', message: 'contains a NUL character', reason: reasonOf('request.nul', {}) },
    ])
  }
  if (query < 0) return
  for (const [name, value] of new URLSearchParams(url.slice(query + 1))) {
    if (name.includes('\u0000') || value.includes('\u0000')) {
      throw new ValidationError([
        {
          field: name.replaceAll('\u0000', ''),
          message: 'contains a NUL character',
          reason: reasonOf('request.nul', {}),
        },
      ])
    }
  }
}

function tooLarge(maxBytes: number): AppError {
  const size =
    maxBytes >= 1024 * 1024
      ? `${(maxBytes / 1024 / 1024).toFixed(1)} MB`
      : `${Math.round(maxBytes / 1024)} KB`
  return new AppError('payload_too_large', `the request is larger than ${size}: send less`, {
    details: { maxBytes },
    reason: reasonOf('request.tooLarge', { size }),
  })
}
