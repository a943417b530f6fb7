import type { ChatToolOutput } from '../../shared/chat.ts'
import type { ToolCallOutput, ToolCallView } from '../../shared/tool-calls.ts'
import { AppError } from '../errors.ts'
import { sanitizeText } from '../untrusted-text.ts'

/**
 * A tool call that did not give the model a result: refused, failed, timed out, cancelled, or
 * answered `isError`. Thrown from a tool's `execute`, so the AI SDK hands the model an
 * `error-text` tool result (it can recover: fix the arguments, try another tool) and the UI
 * part ends in `output-error` with this message as `errorText`.
 */
export class ToolCallFailure extends Error {
  override name = 'ToolCallFailure'
  readonly callId: string | null
  readonly status: string

  constructor(message: string, input: { callId: string | null; status: string; cause?: unknown }) {
    super(message, { cause: input.cause })
    this.callId = input.callId
    this.status = input.status
  }
}

/** The refusal of the tool-call service, in words the model (and the user) can act on. */
export function refusalOf(error: unknown): ToolCallFailure | null {
  if (!(error instanceof AppError)) return null
  const hint =
    error.code === 'validation_failed'
      ? ' Fix the arguments and call the tool again.'
      : error.code === 'rate_limited'
        ? ' Wait before calling tools again, or answer without them.'
        : ''
  return new ToolCallFailure(`Tool call refused: ${error.message}.${hint}`, {
    callId: null,
    status: error.code,
    cause: error,
  })
}

/**
 * The output of a finished call for the chat: the content cut to `maxChars`, or a
 * `ToolCallFailure` when the call did not succeed or the tool reported an error.
 */
export function chatOutputOf(call: ToolCallView, maxChars: number): ChatToolOutput {
  if (call.output?.isError) {
    // The server answered and the tool says it failed (the log marks it `failed`, output kept).
    const text = renderForModel({ callId: call.id, ...capContent(call.output, maxChars) }, maxChars)
    throw new ToolCallFailure(`The tool reported an error: ${text || '(no details)'}`, {
      callId: call.id,
      status: call.status,
    })
  }
  if (call.status !== 'succeeded' || !call.output) {
    const reason = call.error ?? `the call ended ${call.status}`
    throw new ToolCallFailure(
      `Tool call ${call.status}: ${sanitizeText(reason, { maxChars: 2_000, multiline: true })}`,
      {
        callId: call.id,
        status: call.status,
      },
    )
  }
  return { callId: call.id, ...capContent(call.output, maxChars) }
}

/**
 * The text the model reads for a result: text blocks as they are, other blocks as a short note,
 * structured content as JSON when there is no text, all cut to `maxChars`. It is data from an
 * external server, never instructions (the system prompt says so too).
 */
export function renderForModel(output: ChatToolOutput, maxChars: number): string {
  const pieces: string[] = []
  for (const block of output.content) pieces.push(describeBlock(block))
  let text = pieces.filter(Boolean).join('\n')
  if (!text && output.structuredContent) text = JSON.stringify(output.structuredContent)
  if (output.truncated) text += '\n[the result was truncated]'
  return cut(text, maxChars)
}

function describeBlock(block: Record<string, unknown>): string {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? block.text : ''
    case 'image':
    case 'audio':
      return `[${block.type} ${String(block.mimeType ?? '')} not shown to the model]`
    case 'resource_link':
      return `[resource link: ${String(block.name ?? '')} ${String(block.uri ?? '')}]`
    case 'resource': {
      const resource = (block.resource ?? {}) as Record<string, unknown>
      if (typeof resource.text === 'string') return resource.text
      return `[resource ${String(resource.uri ?? '')} (${String(resource.mimeType ?? 'binary')})]`
    }
    default:
      return typeof block.text === 'string' ? block.text : ''
  }
}

/**
 * Content for the stored message and the UI: text blocks share the `maxChars` budget, binary
 * blocks larger than it are replaced by a note, and structured content goes only when it fits.
 */
function capContent(
  output: ToolCallOutput,
  maxChars: number,
): Pick<ChatToolOutput, 'content' | 'structuredContent' | 'truncated'> {
  let budget = maxChars
  let truncated = output.truncated === true
  const content: ChatToolOutput['content'] = []
  for (const block of output.content) {
    const size = JSON.stringify(block).length
    if (size <= budget) {
      content.push(block)
      budget -= size
    } else if (block.type === 'text' && typeof block.text === 'string' && budget > 100) {
      content.push({ type: 'text', text: cut(block.text, budget - 60) })
      budget = 0
      truncated = true
    } else {
      content.push({ type: 'text', text: `[${block.type} block of ${size} characters omitted]` })
      truncated = true
    }
  }
  const structured = output.structuredContent
  const fits = structured !== undefined && JSON.stringify(structured).length <= budget
  if (structured !== undefined && !fits) truncated = true
  return {
    content,
    ...(fits ? { structuredContent: structured } : {}),
    ...(truncated ? { truncated: true } : {}),
  }
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text
  const note = `\n[truncated: ${text.length - max} more characters]`
  return `${text.slice(0, Math.max(0, max - note.length))}${note}`
}
