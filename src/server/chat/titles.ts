import { generateText, type LanguageModel } from 'ai'
import { replaceTitle } from '../db/conversations.ts'
import type { Db } from '../db/database.ts'
import type { Logger } from '../log.ts'
import { sanitizeText } from '../untrusted-text.ts'
import { type ChatUIMessage, textOf } from './ui-messages.ts'

/**
 * Sent with the title request, so whoever reads the provider's traffic (a proxy's log, the test
 * suite's fake model) can tell it from an answer.
 */
export const TASK_HEADER = 'x-switchboard-task'

export interface TitleDeps {
  db: Db
  log: Logger
}

const TITLE_MAX = 80
const EXCERPT_MAX = 1_500
const TIMEOUT_MS = 15_000
const SYSTEM =
  'You name conversations. Reply with a title of at most six words for the conversation ' +
  'below, in the language the user wrote in. Reply with the title alone: no quotes, no full ' +
  'stop at the end, no explanation.'

/**
 * Titles a conversation after its first exchange: one short call to the model that answered,
 * and the title replaces `ifTitle` unless the user renamed the conversation meanwhile. Should the
 * call fail, the title stays what it was (the first words of the question). Never throws.
 */
export async function titleConversation(
  deps: TitleDeps,
  input: {
    conversationId: string
    /** The model that answered (through its provider, with the key it used). */
    model: LanguageModel
    /** The branch: the question and its answer (and nothing else, on a first exchange). */
    messages: readonly ChatUIMessage[]
    ifTitle: string
  },
): Promise<void> {
  try {
    const title = await askForTitle(input)
    if (title && title !== input.ifTitle) {
      await replaceTitle(deps.db, {
        conversationId: input.conversationId,
        title,
        ifTitle: input.ifTitle,
      })
    }
  } catch (err) {
    deps.log.warn({ err, conversationId: input.conversationId }, 'titling the conversation failed')
  }
}

async function askForTitle(input: {
  model: LanguageModel
  messages: readonly ChatUIMessage[]
}): Promise<string | null> {
  const question = input.messages.find((message) => message.role === 'user')
  const answer = input.messages.findLast((message) => message.role === 'assistant')
  if (!question || !answer) return null
  const { text } = await generateText({
    model: input.model,
    system: SYSTEM,
    prompt: `User: ${excerpt(textOf(question))}\n\n` + `Assistant: ${excerpt(textOf(answer))}`,
    maxOutputTokens: 30,
    // A title is not worth waiting or paying twice for.
    maxRetries: 0,
    abortSignal: AbortSignal.timeout(TIMEOUT_MS),
    headers: { [TASK_HEADER]: 'title' },
  })
  return cleanTitle(text)
}

function excerpt(text: string): string {
  const trimmed = text.trim()
  return trimmed.length > EXCERPT_MAX ? `${trimmed.slice(0, EXCERPT_MAX)}…` : trimmed
}

/**
 * The title in the model's reply: its first line, without the decoration models like to add
 * ("Title:", quotes, Markdown emphasis, a full stop). Null when nothing is left.
 */
export function cleanTitle(reply: string): string | null {
  const line = reply
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '')
  if (!line) return null
  const bare = line
    .replace(/^#+\s*/, '')
    .replace(/^title\s*:\s*/i, '')
    .replace(/^[*_"'“”„«»`]+|[*_"'“”„«»`]+$/g, '')
    .replace(/[.。!]+$/, '')
    .trim()
  const title = sanitizeText(bare, { maxChars: TITLE_MAX })
  return title || null
}
