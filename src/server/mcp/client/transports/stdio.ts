import type { Stream } from 'node:stream'
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import type { Logger } from '../../../log.ts'
import { DEFAULT_MAX_MESSAGE_BYTES, ResponseTooLargeError } from './limit-response-size.ts'
import { afterRejections, observeTransport, PendingRequests } from './refusals.ts'

/** Bounds what one child may write into our log; the rest of its stderr is drained unread. */
const MAX_STDERR_LOG_CHARS = 64 * 1024
const MAX_STDERR_LINE_CHARS = 2_000

export interface StdioTransportOptions {
  command: string
  args?: string[]
  /** Merged over the SDK's minimal default environment; never expanded. */
  env?: Record<string, string>
  cwd?: string
  /** Receives the child's stderr, line by line, up to 64 KiB. */
  log: Logger
  /** The most one message (one line of stdout) may hold; default 10 MB. */
  maxMessageBytes?: number
}

/**
 * The SDK's stdio client transport: spawns `command` with `args` directly (no shell, so nothing
 * in them is interpreted), with only the SDK's default environment (HOME, LOGNAME, PATH, SHELL,
 * TERM, USER) plus `env`: none of our own secrets (database URL, secret key) reach the child.
 * `close()` ends stdin, then sends SIGTERM and SIGKILL if the child lingers.
 * Only operator-defined (trusted) endpoints may use it; `connectMcp` enforces that.
 *
 * The SDK buffers at most `maxMessageBytes` of a line; past that it reports an error and ends the
 * child, and the requests still waiting fail at once with a `ResponseTooLargeError` (not as
 * "the server process exited").
 */
export function createStdioTransport(options: StdioTransportOptions): StdioClientTransport {
  const transport = new StdioTransport(
    {
      command: options.command,
      args: options.args ?? [],
      env: { ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stderr: 'pipe',
    },
    options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  )
  logStderr(transport.stderr, options.log)
  return transport
}

type StdioParameters = ConstructorParameters<typeof StdioClientTransport>[0]

class StdioTransport extends StdioClientTransport {
  private readonly pending = new PendingRequests()
  private refusal: ResponseTooLargeError | undefined

  constructor(parameters: StdioParameters, maxMessageBytes: number) {
    super({ ...parameters, maxBufferSize: maxMessageBytes })
    observeTransport(this, {
      message: (message) => this.pending.received(message),
      error: (error) => {
        // The SDK's ReadBuffer: "ReadBuffer exceeded maximum size of N bytes"; it then closes.
        if (this.refusal || !/^ReadBuffer exceeded/.test(error.message)) return error
        this.refuse(new ResponseTooLargeError(maxMessageBytes))
        return this.refusal ?? error
      },
    })
  }

  override async send(message: JSONRPCMessage): Promise<void> {
    // The child is being ended because of it (until `onclose` lets the pool forget it).
    if (this.refusal) throw this.refusal
    await this.pending.send(message, () => super.send(message))
  }

  override async close(): Promise<void> {
    this.pending.close()
    await super.close()
  }

  /**
   * The SDK ends the child after an overflow, but reports the end only once it exits (up to 4 s
   * when it ignores end of input and SIGTERM): report it as soon as the waiting requests have
   * failed with the refusal, so the next call starts a fresh child.
   */
  private refuse(refusal: ResponseTooLargeError): void {
    this.refusal = refusal
    this.pending.refuse(refusal)
    afterRejections(() => this.onclose?.())
  }
}

function logStderr(stream: Stream | null, log: Logger): void {
  if (!stream) return
  let logged = 0
  let pending = ''
  // Keep a 'data' listener even after the cap: an unread pipe fills up and blocks the child.
  stream.on('data', (chunk: Buffer) => {
    if (logged >= MAX_STDERR_LOG_CHARS) return
    pending += chunk.toString('utf8')
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    if (pending.length > MAX_STDERR_LINE_CHARS) {
      lines.push(pending)
      pending = ''
    }
    for (const line of lines) {
      logged += line.length
      if (logged > MAX_STDERR_LOG_CHARS) {
        log.warn('mcp server stderr exceeded 64 KiB; the rest is not logged')
        return
      }
      if (line.trim())
        log.info({ stderr: line.slice(0, MAX_STDERR_LINE_CHARS) }, 'mcp server stderr')
    }
  })
}

/**
 * Ends the child of a stdio transport that failed to connect (timeout, abort) with SIGTERM at
 * once: the SDK's `close()` first waits 2 s for the child to exit on end of input, which a hung
 * server does not do. A no-op for other transports or a child that is gone.
 */
export function abortStdioTransport(transport: Transport | undefined): void {
  if (!(transport instanceof StdioClientTransport) || transport.pid === null) return
  try {
    process.kill(transport.pid, 'SIGTERM')
  } catch {
    // Already exited.
  }
}
