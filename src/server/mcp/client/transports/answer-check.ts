/**
 * Telling, from the first bytes, that an HTTP answer to an MCP request is not MCP at all.
 *
 * The SDK waits for a request's response until its timeout when the answer holds none: an event
 * stream whose events are not JSON-RPC (it reports each to `onerror` and reads on), one that ends
 * having said nothing, or JSON that is JSON-RPC but answers nothing that was asked. A URL that
 * is some other service then read as "timed out after 10 s". These checks fail the request at
 * once with `NotMcpError` instead ("this URL does not speak MCP").
 *
 * @module
 */
import type { RequestId } from '@modelcontextprotocol/client'
import { NotMcpError } from '../upstream-errors.ts'

/** Events larger than this are not parsed twice: that they start as JSON is enough. */
const FULL_CHECK_CHARS = 64 * 1024

/**
 * The JSON answer to a POST of requests `ids`, checked and handed on unchanged: it must be a
 * JSON-RPC message (or a batch of them) that answers one of the requests.
 */
export async function checkJsonAnswer(response: Response, ids: RequestId[]): Promise<Response> {
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new NotMcpError('the answer is not JSON')
  }
  const messages = Array.isArray(parsed) ? parsed : [parsed]
  if (!messages.every(isJsonRpc)) throw new NotMcpError('the answer is not JSON-RPC')
  const wanted = new Set(ids.map(String))
  const answers = messages.some(
    (message) =>
      ('result' in message || 'error' in message) && wanted.has(String(message.id ?? '')),
  )
  if (!answers) throw new NotMcpError('the answer does not answer the request')
  return new Response(text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
}

/**
 * The event stream answering a POST, passed through unchanged while its first message event is
 * checked: it must carry JSON-RPC. A stream that ends before any message, and gave no event ids
 * to resume from, said nothing MCP either. Once one message passed, nothing more is parsed.
 */
export function checkEventStreamAnswer(
  body: ReadableStream<Uint8Array>,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder()
  let decided = false
  let resumable = false
  /** The line being read, in the pieces it came in. */
  let partial: string[] = []
  let data: string[] = []
  let eventType = ''

  const dispatch = () => {
    const text = data.join('\n')
    const type = eventType
    data = []
    eventType = ''
    if (text === '' || (type !== '' && type !== 'message')) return
    if (!looksLikeJsonRpc(text)) throw new NotMcpError('the event stream does not carry JSON-RPC')
    decided = true
  }
  const readLines = (chunk: string) => {
    // Only the new text is searched for line breaks: a message of megabytes arrives in hundreds
    // of chunks, and splitting all that was pending again for each one took seconds.
    const end = lastLineBreak(chunk)
    if (end === -1) {
      partial.push(chunk)
      return
    }
    const lines = (partial.join('') + chunk.slice(0, end + 1)).split(/\r\n|\r|\n/)
    lines.pop()
    partial = [chunk.slice(end + 1)]
    for (const line of lines) {
      if (decided) return
      if (line === '') dispatch()
      else if (line.startsWith('data:')) data.push(fieldValue(line, 5))
      else if (line.startsWith('event:')) eventType = fieldValue(line, 6)
      else if (line.startsWith('id:')) resumable = true
    }
  }

  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (!decided) {
          readLines(decoder.decode(chunk, { stream: true }))
          if (decided) partial = []
        }
        controller.enqueue(chunk)
      },
      flush() {
        if (decided) return
        readLines(`${decoder.decode()}\n\n`)
        if (!decided && !resumable) {
          throw new NotMcpError('the event stream ended without a JSON-RPC message')
        }
      },
    }),
  )
}

/**
 * Where the last complete line of `chunk` ends; -1 when none does. A `\r` that ends the chunk
 * may be the first half of `\r\n`: it stays with the partial line.
 */
function lastLineBreak(chunk: string): number {
  const limit = chunk.endsWith('\r') ? chunk.length - 2 : chunk.length - 1
  if (limit < 0) return -1
  return Math.max(chunk.lastIndexOf('\n', limit), chunk.lastIndexOf('\r', limit))
}

function fieldValue(line: string, nameLength: number): string {
  const value = line.slice(nameLength)
  return value.startsWith(' ') ? value.slice(1) : value
}

function looksLikeJsonRpc(text: string): boolean {
  const start = text.trimStart()
  if (text.length > FULL_CHECK_CHARS) return start.startsWith('{') || start.startsWith('[')
  try {
    const parsed: unknown = JSON.parse(text)
    return Array.isArray(parsed) ? parsed.every(isJsonRpc) : isJsonRpc(parsed)
  } catch {
    return false
  }
}

function isJsonRpc(message: unknown): message is Record<string, unknown> & { id?: unknown } {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { jsonrpc?: unknown }).jsonrpc === '2.0'
  )
}
