import { chmodSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import { dirname, join } from 'node:path'
import type { AppDeps } from '../server/app-deps.ts'
import { AppError } from '../server/errors.ts'
import { ErrorEnvelopeSchema } from '../shared/errors.ts'
import {
  isOperationName,
  OPERATIONS,
  type OperationInput,
  type OperationName,
  type OperationOutput,
  performOperation,
} from './operations.ts'

/**
 * How CLI commands reach a `serve` that has the embedded database (which only one process may
 * open): HTTP over a Unix socket in `<dataDir>/run/`, a folder only the owner of the process can
 * enter, so only the same OS user (or root) can connect. Each request runs one of OPERATIONS.
 */
export function controlSocketPath(dataDir: string): string {
  return join(dataDir, 'run', 'control.sock')
}

// sun_path holds 108 bytes on Linux and 104 on macOS, the final NUL included.
const MAX_SOCKET_PATH_BYTES = 100
const MAX_BODY_BYTES = 64 * 1024
const ANSWER_TIMEOUT_MS = 60_000
/** Errors from connect(2): the request never reached the instance. */
const NOT_REACHED = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'EPERM', 'ENOTSOCK'])

export interface ControlChannel {
  path: string
  close(): Promise<void>
}

/**
 * Listens for CLI commands; call only while holding the data dir lock. Returns null (and logs
 * why) where it cannot listen safely: CLI commands then ask the operator to stop the server.
 */
export async function startControlChannel(
  deps: AppDeps,
  dataDir: string,
): Promise<ControlChannel | null> {
  const path = controlSocketPath(dataDir)
  const unavailable = (reason: string) => {
    deps.log.warn({ path, reason }, 'no control socket: CLI commands must wait until this stops')
    return null
  }
  if (process.platform === 'win32') return unavailable('not on Windows')
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) return unavailable('path too long')
  try {
    const dir = dirname(path)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    // The folder's mode is the access check (connecting needs search permission on it): make
    // sure it is ours and closed even when it existed before.
    chmodSync(dir, 0o700)
    if (statSync(dir).uid !== process.getuid?.()) return unavailable(`${dir} is not ours`)
    // Whoever listened here before died without closing: we hold the lock now.
    rmSync(path, { force: true })
  } catch (error) {
    return unavailable((error as Error).message)
  }
  const server = createServer((req, res) => void answer(deps, req, res))
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, resolve)
    })
    chmodSync(path, 0o600)
  } catch (error) {
    server.close()
    return unavailable((error as Error).message)
  }
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function answer(deps: AppDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const name = (req.url ?? '').slice(1)
    if (req.method !== 'POST' || !isOperationName(name)) {
      throw new AppError('not_found', `no operation ${req.method} ${req.url}`)
    }
    reply(res, 200, await performOperation(deps, name, await readJson(req)))
  } catch (error) {
    if (error instanceof AppError) {
      reply(res, error.status, { error: { code: error.code, message: error.message } })
      return
    }
    deps.log.error({ err: error, url: req.url }, 'control channel: operation failed')
    const message = 'the operation failed: see the Switchboard log'
    reply(res, 500, { error: { code: 'internal', message } })
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new AppError('bad_request', 'request too large')
    chunks.push(chunk)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new AppError('bad_request', 'request body is not JSON')
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

/** The instance could not be asked, or its answer was lost; `reached` says which. */
export class InstanceUnreachableError extends Error {
  override name = 'InstanceUnreachableError'

  constructor(
    readonly reason: string,
    readonly reached: boolean,
  ) {
    super(reason)
  }
}

/**
 * Runs an operation inside the `serve` that listens on the data dir's control socket. Errors the
 * operation throws there come back as AppError with their code and message.
 */
export async function callInstance<N extends OperationName>(
  dataDir: string,
  name: N,
  input: OperationInput<N>,
): Promise<OperationOutput<N>> {
  const { status, body } = await post(controlSocketPath(dataDir), `/${name}`, input)
  if (status === 200) return OPERATIONS[name].output.parse(body) as OperationOutput<N>
  const envelope = ErrorEnvelopeSchema.safeParse(body)
  if (!envelope.success) throw new InstanceUnreachableError(`it answered ${status}`, true)
  throw new AppError(envelope.data.error.code, envelope.data.error.message)
}

function post(socketPath: string, path: string, body: unknown) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const req = request(
      { socketPath, path, method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) })
          } catch {
            reject(new InstanceUnreachableError(`it answered ${res.statusCode} without JSON`, true))
          }
        })
        res.on('error', reject)
      },
    )
    req.setTimeout(ANSWER_TIMEOUT_MS, () => {
      const seconds = ANSWER_TIMEOUT_MS / 1000
      req.destroy(new InstanceUnreachableError(`no answer within ${seconds} s`, true))
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof InstanceUnreachableError) return reject(error)
      const code = error.code ?? error.message
      reject(new InstanceUnreachableError(code, !NOT_REACHED.has(code)))
    })
    req.end(JSON.stringify(body))
  })
}
