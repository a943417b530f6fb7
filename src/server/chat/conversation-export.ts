import {
  type ChatMessage,
  type ConversationExport,
  type ConversationExportQuery,
  DEFAULT_CONVERSATION_TITLE,
} from '../../shared/chat.ts'
import { listMessages } from '../db/messages.ts'
import { type ConversationDeps, getConversation, toConversationView } from './conversations.ts'
import { branchView, buildTree, currentLeaf, toMessageView } from './message-tree.ts'
import { isToolPart, type ToolPartLike } from './ui-messages.ts'

const ARGUMENTS_MAX = 2_000
const RESULT_MAX = 4_000

/** A conversation as a file to download. */
export interface ExportedFile {
  filename: string
  contentType: string
  body: string
}

/**
 * A conversation as a file: Markdown (the branch on show, for people: the words, and what each
 * tool call did) or JSON (everything: every branch, each message with its parent, the parts as
 * stored, and which leaf was on show).
 */
export async function exportConversation(
  deps: Pick<ConversationDeps, 'db' | 'now'>,
  input: { userId: string; id: string; format: ConversationExportQuery['format'] },
): Promise<ExportedFile> {
  const conversation = await getConversation(deps, input)
  const rows = await listMessages(deps.db, { conversationId: conversation.id })
  const tree = buildTree(rows)
  const leaf = currentLeaf(tree, conversation.current_message_id)
  const view = toConversationView(conversation)
  const name = fileNameOf(conversation.title)
  if (input.format === 'json') {
    const document: ConversationExport = {
      format: 'switchboard.conversation',
      version: 1,
      exportedAt: deps.now().toISOString(),
      conversation: { ...view, currentMessageId: leaf },
      messages: rows.map((row) => toMessageView(tree, row)),
    }
    return {
      filename: `${name}.json`,
      contentType: 'application/json; charset=utf-8',
      body: `${JSON.stringify(document, null, 2)}\n`,
    }
  }
  return {
    filename: `${name}.md`,
    contentType: 'text/markdown; charset=utf-8',
    body: toMarkdown(conversation.title, branchView(tree, leaf)),
  }
}

/** The branch as Markdown: a heading per message, its text as written, tool calls summed up. */
export function toMarkdown(title: string, messages: readonly ChatMessage[]): string {
  const blocks = [`# ${oneLine(title)}`]
  for (const message of messages) {
    if (message.role === 'system') continue
    const model = message.metadata?.model
    blocks.push(message.role === 'user' ? '## You' : `## Assistant${model ? ` (${model})` : ''}`)
    for (const part of message.parts) {
      const block = partToMarkdown(part)
      if (block) blocks.push(block)
    }
    if (message.metadata?.status === 'error') {
      blocks.push(`> **The answer failed:** ${oneLine(message.metadata.error ?? 'unknown error')}`)
    } else if (message.metadata?.status === 'aborted') {
      blocks.push('> *Stopped before the answer was complete.*')
    }
  }
  return `${blocks.join('\n\n')}\n`
}

function partToMarkdown(part: ChatMessage['parts'][number]): string | null {
  if (part.type === 'text') {
    const text = String((part as { text?: unknown }).text ?? '').trim()
    return text || null
  }
  if (part.type === 'file') {
    const { url, filename } = part as { url?: string; filename?: string }
    const name = filename ?? 'file'
    // A data URL would put the whole file in the text: name it only.
    return typeof url === 'string' && /^https?:/i.test(url)
      ? `[${name}](${url})`
      : `*Attached: ${name}*`
  }
  if (isToolPart(part)) return toolToMarkdown(part)
  return null
}

function toolToMarkdown(part: ToolPartLike): string {
  const meta = (part.toolMetadata ?? {}) as { toolName?: string; serverName?: string }
  const name =
    meta.toolName && meta.serverName
      ? `\`${meta.toolName}\` on \`${meta.serverName}\``
      : `\`${part.toolName ?? part.type}\``
  const lines = [`**Tool call:** ${name} (${toolOutcome(part)})`]
  if (part.input !== undefined) {
    const args = cut(JSON.stringify(part.input, null, 2), ARGUMENTS_MAX)
    lines.push(`Arguments:\n\n${fenced('json', args)}`)
  }
  const result = resultText(part)
  if (result) lines.push(`Result:\n\n${fenced('', cut(result, RESULT_MAX))}`)
  return lines.join('\n\n')
}

function toolOutcome(part: ToolPartLike): string {
  switch (part.state) {
    case 'output-available':
      return 'done'
    case 'output-error':
      return `failed: ${oneLine(part.errorText ?? '')}`
    case 'output-denied':
      return 'denied'
    case 'approval-requested':
      return 'waiting for approval'
    default:
      return 'did not finish'
  }
}

function resultText(part: ToolPartLike): string | null {
  if (part.state !== 'output-available') return null
  const output = part.output as { content?: { type?: string; text?: unknown }[] } | undefined
  const texts = (output?.content ?? [])
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text as string)
  if (texts.length > 0) return texts.join('\n')
  return output === undefined ? null : JSON.stringify(output, null, 2)
}

/** A fence longer than any run of backticks inside, so the content cannot close it. */
function fenced(lang: string, text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return `${fence}${lang}\n${text}\n${fence}`
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n… (cut at ${max} characters)` : text
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** The title as a file name: no path or reserved characters, not too long, never empty. */
export function fileNameOf(title: string): string {
  const name = title === DEFAULT_CONVERSATION_TITLE ? '' : title
  const safe = name
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what goes
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .slice(0, 80)
    .trim()
  return safe || 'conversation'
}
