import {
  ProtocolError,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  UnauthorizedError,
} from '@modelcontextprotocol/client'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AppError, UpstreamError } from '../../../../src/server/errors.ts'
import type { McpEndpoint } from '../../../../src/server/mcp/client/endpoint.ts'
import { SsrfError } from '../../../../src/server/mcp/client/ssrf-guard.ts'
import {
  EndpointError,
  formatSeconds,
  formatWait,
  isSessionExpired,
  McpTimeoutError,
  NotMcpError,
  redactSecrets,
  toMcpFailure,
  toUpstreamError,
  waitSeconds,
} from '../../../../src/server/mcp/client/upstream-errors.ts'

type Target = Pick<McpEndpoint, 'name' | 'url' | 'transport'>
const HTTP: Target = {
  name: 'Tracker',
  url: 'https://mcp.example.com/api?key=query-secret-123',
  transport: 'streamable-http',
}
const STDIO: Target = { name: 'Local', transport: 'stdio' }

function httpError(status: number, text?: string) {
  return new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, `Error POSTing: ${text}`, {
    status,
    statusText: '',
    ...(text === undefined ? {} : { text }),
  })
}

function errno(code: string, fields: Record<string, unknown> = {}) {
  return Object.assign(new Error(`${code} happened`), { code, ...fields })
}

/** undici wraps socket and DNS errors: TypeError('fetch failed', { cause }). */
function fetchFailed(cause: Error) {
  return new TypeError('fetch failed', { cause })
}

describe('toMcpFailure: HTTP statuses', () => {
  it('says to check the token on 401, from a status or an UnauthorizedError', () => {
    const expected = {
      code: 'upstream_rejected',
      status: 'needs_auth',
      message: 'server answered 401: check the token',
      reason: { key: 'upstream.http.unauthorized', params: { status: 401 } },
    }
    expect(toMcpFailure(httpError(401, '{"error":"invalid_token"}'), HTTP)).toEqual(expected)
    expect(toMcpFailure(new UnauthorizedError(), HTTP)).toEqual(expected)
  })

  it('marks 403 as needs_auth with a permissions hint', () => {
    const failure = toMcpFailure(httpError(403), HTTP)
    expect(failure.status).toBe('needs_auth')
    expect(failure.message).toMatch(/^server answered 403: .*permissions/)
  })

  it('names the URL without its query string on 404 and points at the path', () => {
    const failure = toMcpFailure(httpError(404, 'Not Found'), HTTP)
    expect(failure).toEqual({
      code: 'upstream_rejected',
      status: 'error',
      message:
        'server answered 404 at https://mcp.example.com/api: check the URL path (often /mcp)',
      reason: {
        key: 'upstream.http.notFound',
        params: { status: 404, url: 'https://mcp.example.com/api' },
      },
    })
  })

  it('recognizes a forgotten session (404 "Session not found")', () => {
    const body = '{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}'
    const error = httpError(404, body)
    expect(toMcpFailure(error, HTTP).message).toMatch(/no longer knows this session/)
    expect(isSessionExpired(error)).toBe(true)
    expect(isSessionExpired(toUpstreamError(toMcpFailure(error, HTTP), error))).toBe(true)
    expect(isSessionExpired(httpError(500))).toBe(false)
    expect(isSessionExpired(new Error('404'))).toBe(false)
  })

  it('recognizes the 400 many servers answer to an unknown session', () => {
    const body =
      '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":null}'
    const error = httpError(400, body)
    expect(isSessionExpired(error)).toBe(true)
    expect(toMcpFailure(error, HTTP).message).toMatch(/no longer knows this session/)
    expect(isSessionExpired(httpError(400, '{"error":{"message":"missing field q"}}'))).toBe(false)
  })

  it('quotes the JSON-RPC message of an error body, and calls 502-504 offline', () => {
    const body = '{"jsonrpc":"2.0","error":{"code":-32603,"message":"db down"},"id":1}'
    expect(toMcpFailure(httpError(500, body), HTTP)).toMatchObject({
      code: 'upstream_failed',
      message: 'server answered 500: "db down": check the server\'s logs',
      reason: { key: 'upstream.http.serverErrorSaid', params: { status: 500, said: 'db down' } },
    })
    expect(toMcpFailure(httpError(503), HTTP)).toMatchObject({
      code: 'upstream_failed',
      status: 'offline',
    })
    expect(toMcpFailure(httpError(405), HTTP).message).toMatch(/does not accept MCP requests/)
  })

  it('says a URL answered HTML', () => {
    const error = new SdkError(SdkErrorCode.ClientHttpUnexpectedContent, 'Unexpected content', {
      contentType: 'text/html; charset=utf-8',
    })
    expect(toMcpFailure(error, HTTP)).toEqual({
      code: 'upstream_failed',
      status: 'error',
      message: 'this URL answered HTML, not MCP: check the URL path',
      reason: { key: 'upstream.html' },
    })
  })
})

describe('toMcpFailure: network, TLS and processes', () => {
  it('reports DNS failures with the host name', () => {
    const dns = errno('ENOTFOUND', { hostname: 'mcp.example.com' })
    expect(toMcpFailure(fetchFailed(dns), HTTP)).toEqual({
      code: 'upstream_failed',
      status: 'offline',
      message: 'DNS lookup failed for mcp.example.com',
      reason: { key: 'upstream.dns', params: { host: 'mcp.example.com' } },
    })
  })

  it('reports a refused connection with the address and asks if the server runs', () => {
    const refused = errno('ECONNREFUSED', { address: '127.0.0.1', port: 4321 })
    expect(toMcpFailure(fetchFailed(refused), HTTP)).toMatchObject({
      message: 'could not connect to 127.0.0.1:4321 (connection refused): is the server running?',
      reason: { key: 'upstream.connectionRefused', params: { address: '127.0.0.1:4321' } },
    })
    expect(toMcpFailure(errno('ECONNREFUSED'), HTTP).message).toMatch(/mcp\.example\.com:443/)
  })

  it('reports a dropped connection', () => {
    const reset = fetchFailed(errno('UND_ERR_SOCKET'))
    expect(toMcpFailure(reset, HTTP).message).toBe(
      'the connection closed before the server answered',
    )
  })

  it('explains TLS problems', () => {
    const cases: Array<[string, RegExp]> = [
      ['CERT_HAS_EXPIRED', /certificate of mcp\.example\.com has expired/],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', /self-signed/],
      ['ERR_TLS_CERT_ALTNAME_INVALID', /does not match mcp\.example\.com/],
      ['ERR_SSL_WRONG_VERSION_NUMBER', /https URL on a plain http port/],
    ]
    for (const [code, message] of cases) {
      expect(toMcpFailure(fetchFailed(errno(code)), HTTP).message).toMatch(message)
    }
  })

  it('explains a command that cannot start, and a process that exits', () => {
    const enoent = errno('ENOENT', { syscall: 'spawn /opt/mcp/server', path: '/opt/mcp/server' })
    expect(toMcpFailure(enoent, STDIO).message).toBe(
      'could not start "/opt/mcp/server": command not found; check the command',
    )
    const closed = new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed')
    expect(toMcpFailure(closed, STDIO).message).toMatch(/process exited before it answered/)
    expect(toMcpFailure(closed, HTTP).message).toBe(
      'the connection closed before the server answered',
    )
  })
})

describe('toMcpFailure: timeouts, guards and protocol', () => {
  it('says "timed out after N s" with the actual limit', () => {
    expect(toMcpFailure(new McpTimeoutError(10_000), HTTP)).toEqual({
      code: 'upstream_timeout',
      status: 'offline',
      message: 'timed out after 10 s',
      reason: { key: 'upstream.timedOut', params: { seconds: 10 } },
    })
    const sdkTimeout = new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', {
      timeout: 60_000,
    })
    expect(toMcpFailure(sdkTimeout, HTTP, { timeoutMs: 2_500 }).message).toBe(
      'timed out after 2.5 s',
    )
    expect(toMcpFailure(sdkTimeout, HTTP).message).toBe('timed out after 60 s')
  })

  it('passes SSRF and endpoint refusals through as upstream_rejected', () => {
    const reason = { key: 'upstream.ssrf.blocked', params: { host: '127.0.0.1', kind: 'loopback' } }
    const ssrf = new SsrfError(
      'ssrf_blocked',
      '127.0.0.1 is a loopback address; ask the operator',
      reason,
    )
    expect(toMcpFailure(ssrf, HTTP)).toEqual({
      code: 'upstream_rejected',
      status: 'error',
      message: ssrf.message,
      reason,
    })
    const needsUrl = { key: 'upstream.endpoint.needsUrl', params: { transport: 'sse' } }
    expect(
      toMcpFailure(new EndpointError('a sse server needs a URL', needsUrl), HTTP),
    ).toMatchObject({ code: 'upstream_rejected', reason: needsUrl })
  })

  it('quotes a JSON-RPC error, capped at 300 characters without control characters', () => {
    const error = new ProtocolError(-32602, `bad\u0007 params ${'x'.repeat(500)}`)
    const failure = toMcpFailure(error, HTTP)
    expect(failure.code).toBe('upstream_rejected')
    expect(failure.message).toMatch(
      /^server answered with an error: "bad params x+…" \(JSON-RPC -32602\)$/,
    )
    const quoted = /"(.*)"/.exec(failure.message)?.[1] ?? ''
    expect(Array.from(quoted)).toHaveLength(300)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    expect(failure.message).not.toMatch(/[\u0000-\u001f]/)
  })

  it('calls malformed answers "not valid MCP"', () => {
    const zodError = z.object({ a: z.string() }).safeParse({}).error
    const errors = [
      new SdkError(SdkErrorCode.InvalidResult, 'Invalid result for initialize'),
      new SyntaxError('Unexpected token < in JSON'),
      zodError,
    ]
    for (const error of errors) {
      expect(toMcpFailure(error, HTTP)).toMatchObject({
        message: 'the server sent a response that is not valid MCP',
        reason: { key: 'upstream.invalidMcp' },
      })
    }
  })

  it('says a URL that answered something else "does not speak MCP"', () => {
    const failure = toMcpFailure(new TypeError('x', { cause: new NotMcpError('not JSON') }), HTTP)
    expect(failure).toMatchObject({
      code: 'upstream_failed',
      status: 'error',
      reason: { key: 'upstream.notMcp' },
    })
    expect(failure.message).toMatch(/^this URL answered, but it does not speak MCP/)
  })

  it('falls back to a generic message for anything else', () => {
    expect(toMcpFailure(new Error('boom'), HTTP)).toEqual({
      code: 'upstream_failed',
      status: 'error',
      message: 'could not talk to the server: boom',
      reason: { key: 'upstream.failedWith', params: { detail: 'boom' } },
    })
    expect(toMcpFailure('not even an error', HTTP).message).toBe('could not talk to the server')
  })
})

describe('toMcpFailure: secrets', () => {
  it('never repeats a header value, a bearer token or a query value', () => {
    const secret = 'sk-live-7f3c9a1b2d'
    const errors = [
      new Error(`request failed: Authorization: Bearer ${secret}`),
      new ProtocolError(-32600, `token ${secret} is not valid`),
      httpError(400, `{"error":{"message":"bad key ${secret}"}}`),
      httpError(404, 'nope'),
    ]
    for (const error of errors) {
      const failure = toMcpFailure(error, HTTP, { redact: [secret, `Bearer ${secret}`] })
      expect(failure.message).not.toContain(secret)
      expect(failure.message).not.toContain('query-secret-123')
      expect(JSON.stringify(failure.reason)).not.toContain(secret)
      expect(JSON.stringify(failure.reason)).not.toContain('query-secret-123')
    }
  })
})

describe('redactSecrets', () => {
  it('removes every line and word of a secret, so a split value leaks no part', () => {
    const secret = 'abc123\r\nX-Evil: tail-part-999'
    const text = 'Headers.append: "abc123\r\nX-Evil: tail-part-999" is an invalid header value'
    const flattened = 'invalid value abc123 then tail-part-999'
    for (const said of [text, flattened]) {
      const clean = redactSecrets(said, [secret])
      expect(clean).not.toContain('abc123')
      expect(clean).not.toContain('tail-part-999')
    }
    expect(redactSecrets('the Token was refused', ['Token tok-1234'])).toBe('the Token was refused')
  })
})

describe('toUpstreamError', () => {
  it('builds an AppError with the HTTP status for the code, the status in details, and the cause', () => {
    const cause = new Error('inner')
    const cases = [
      ['upstream_rejected', 422],
      ['upstream_failed', 502],
      ['upstream_timeout', 504],
    ] as const
    for (const [code, httpStatus] of cases) {
      const failure = {
        code,
        status: 'offline',
        message: 'm',
        reason: { key: 'upstream.connectionClosed' },
      } as const
      const error = toUpstreamError(failure, cause)
      expect(error).toBeInstanceOf(UpstreamError)
      expect(error).toBeInstanceOf(AppError)
      expect(error.status).toBe(httpStatus)
      expect(error.details).toEqual({ status: 'offline' })
      expect(error.reason).toEqual({ key: 'upstream.connectionClosed' })
      expect(error.cause).toBe(cause)
      expect(toMcpFailure(error, HTTP)).toEqual(failure)
    }
  })

  it('formats seconds for messages', () => {
    expect(formatSeconds(10_000)).toBe('10 s')
    expect(formatSeconds(1_500)).toBe('1.5 s')
    expect(formatSeconds(250)).toBe('0.25 s')
  })

  it('rounds a wait for people: "less than a second", else whole seconds up', () => {
    expect(formatWait(10)).toBe('less than a second')
    expect(formatWait(999)).toBe('less than a second')
    expect(formatWait(1_000)).toBe('1 s')
    expect(formatWait(1_001)).toBe('2 s')
    expect(formatWait(14_200)).toBe('15 s')
    expect(waitSeconds(10)).toBe(1)
    expect(waitSeconds(60_000)).toBe(60)
  })
})

describe('blocked ports', () => {
  it('explains that fetch refuses a "bad port" instead of saying "fetch failed"', () => {
    const error = new TypeError('fetch failed', { cause: new Error('bad port') })
    const failure = toMcpFailure(error, {
      name: 'x',
      transport: 'streamable-http',
      url: 'http://127.0.0.1:1/mcp',
    })
    expect(failure).toMatchObject({ code: 'upstream_rejected', status: 'error' })
    expect(failure.message).toBe(
      `port 1 is blocked for web clients (the fetch standard's "bad ports"): run the server on another port`,
    )
  })
})
