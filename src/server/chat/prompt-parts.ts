/**
 * A user message that starts with a server's prompt (the composer's `/`): a `data-prompt` part
 * holding the prompt's text (from `POST …/prompts/:name/get`) and what made it. Checked when the
 * message comes in, read by the model as the text before the user's own words.
 *
 * @module
 */

import { type PromptPartData, PromptPartDataSchema } from '../../shared/mcp-prompts.ts'
import type { Db } from '../db/database.ts'
import { findPrompt } from '../db/mcp-prompts.ts'
import { findServerForUser } from '../db/mcp-servers.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import { fromZodIssue } from '../field-issues.ts'
import type { ChatUIMessage, ChatUIPart } from './ui-messages.ts'

type PromptPart = { type: 'data-prompt'; id?: string; data: PromptPartData }

function isPromptPart(part: ChatUIPart): part is PromptPart {
  return part.type === 'data-prompt'
}

/**
 * The message with its prompt part checked: well formed (400 naming the field), at most one,
 * naming a server the user has (404 otherwise). The server's name and the prompt's title are
 * set from the stored ones, not taken from the client.
 */
export async function checkPromptParts(
  db: Db,
  input: { userId: string; message: ChatUIMessage },
): Promise<ChatUIMessage> {
  const { message } = input
  const indexes = message.parts.flatMap((part, index) => (isPromptPart(part) ? [index] : []))
  if (indexes.length === 0) return message
  if (indexes.length > 1) {
    throw new ValidationError([
      { field: 'message.parts', message: 'a message starts with one prompt at most' },
    ])
  }
  const index = indexes[0] as number
  const parsed = PromptPartDataSchema.safeParse((message.parts[index] as { data?: unknown }).data)
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((issue) => {
        const found = fromZodIssue(issue)
        return {
          ...found,
          field: [`message.parts.${index}.data`, found.field].filter(Boolean).join('.'),
        }
      }),
    )
  }
  const data = parsed.data
  const server = await findServerForUser(db, { userId: input.userId, id: data.serverId })
  if (!server) throw new NotFoundError('server')
  const listed = await findPrompt(db, { serverId: server.id, name: data.name })
  const part: PromptPart = {
    type: 'data-prompt',
    data: { ...data, server: server.name, title: listed?.title ?? null },
  }
  return { ...message, parts: message.parts.map((each, at) => (at === index ? part : each)) }
}

/** The messages with each prompt part as the text the model reads (before the user's words). */
export function promptsForModel(messages: ChatUIMessage[]): ChatUIMessage[] {
  return messages.map((message) =>
    message.parts.some(isPromptPart)
      ? {
          ...message,
          parts: message.parts.map((part) =>
            isPromptPart(part) ? { type: 'text', text: part.data.text } : part,
          ),
        }
      : message,
  )
}
