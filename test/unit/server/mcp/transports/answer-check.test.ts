import { describe, expect, it } from 'vitest'
import { checkEventStreamAnswer } from '../../../../../src/server/mcp/client/transports/answer-check.ts'
import { NotMcpError } from '../../../../../src/server/mcp/client/upstream-errors.ts'

/** Reads `chunks` through the check; what comes out, or the error it fails with. */
async function through(chunks: string[]): Promise<string | Error> {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      controller.close()
    },
  })
  try {
    return await new Response(checkEventStreamAnswer(body)).text()
  } catch (error) {
    return error as Error
  }
}

const MESSAGE = '{"jsonrpc":"2.0","id":1,"result":{}}'

describe('checkEventStreamAnswer', () => {
  it('passes a JSON-RPC event on unchanged, however it is cut', async () => {
    const stream = `event: message\r\ndata: ${MESSAGE}\r\n\r\n`
    for (let at = 1; at < stream.length; at += 1) {
      expect(await through([stream.slice(0, at), stream.slice(at)])).toBe(stream)
    }
  })

  it('does not take a \\r\\n cut in two for two line ends (an empty line ends the event)', async () => {
    // Were the \r and the \n two line ends, "data: 1" would be an event of its own: not JSON-RPC.
    const result = await through(['data: {"jsonrpc":\r', '\ndata: "2.0"}\r\n\r\n'])
    expect(result).toBe('data: {"jsonrpc":\r\ndata: "2.0"}\r\n\r\n')
  })

  it('refuses an event stream that is not JSON-RPC', async () => {
    expect(await through(['data: hello\n\n'])).toBeInstanceOf(NotMcpError)
  })

  it('reads a message of megabytes that came in hundreds of pieces', async () => {
    const text = 'x'.repeat(8 * 1024 * 1024)
    const chunks = ['data: {"jsonrpc":"2.0","id":1,"result":{"text":"']
    for (let at = 0; at < text.length; at += 16 * 1024) chunks.push(text.slice(at, at + 16 * 1024))
    chunks.push('"}}\n\n')
    const result = await through(chunks)
    expect(typeof result === 'string' && result.length).toBe(chunks.join('').length)
  })
})
