import {
  convertToModelMessages,
  createUIMessageStream,
  createUIMessageStreamResponse,
  stepCountIs,
  streamText,
  type TextStreamPart,
  type ToolSet,
} from 'ai'
import {
  type ChatMessageMetadata,
  type ChatMessageStatus,
  type ChatStreamRequest,
  SEARCH_TOOLS_NAME,
  UNFINISHED_TOOL_CALL,
} from '../../shared/chat.ts'
import type { ConversationRow } from '../db/conversations.ts'
import { moveCurrentMessage, touchConversation } from '../db/conversations.ts'
import { saveMessage } from '../db/messages.ts'
import { AppError } from '../errors.ts'
import type { ChatMetrics } from '../observability/metrics.ts'
import type { ChatTracing } from '../observability/tracing.ts'
import type { ToolCallDeps } from '../toolcalls/tool-call-service.ts'
import { filesForTurn } from './attachments/message-files.ts'
import { type ChatErrorText, describeChatError } from './chat-errors.ts'
import { serverIdsOf, withInstructions } from './conversation-settings.ts'
import { exposeTools, offeredToolsFor, type ToolCatalog, type ToolContext } from './expose-tools.ts'
import { checkUserMessage, parseIncoming } from './incoming.ts'
import type { ModelDirectory } from './model-directory.ts'
import { openConversation } from './open-conversation.ts'
import { checkPromptParts, promptsForModel } from './prompt-parts.ts'
import { systemPrompt } from './prompts.ts'
import {
  type ChatModelChoice,
  chooseChatModel,
  NO_PROVIDER_MESSAGE,
  resolveModelId,
} from './providers.ts'
import { titleConversation } from './titles.ts'
import { createSearchTool } from './tool-search.ts'
import { beginTurn, type Turn } from './turn.ts'
import type { TurnLocks } from './turn-lock.ts'
import { type ChatUIMessage, pendingApprovals, settleParts } from './ui-messages.ts'
import { checkMessageLimit, createUsageMeter, recordUsage } from './usage.ts'

const ABANDONED_MS = 30_000

/** An answer is one turn at a time per conversation, and its tool calls go through the proxy. */
export interface ChatStreamDeps extends ToolCallDeps {
  chatTurns: TurnLocks
  modelDirectory: ModelDirectory
  metrics: ToolCallDeps['metrics'] & { chat: ChatMetrics }
  tracing: ToolCallDeps['tracing'] & { chat: ChatTracing }
}

/**
 * One chat request: stores the user's message (or their approval answers), then streams the
 * model's answer as the AI SDK UI message stream, with the user's offerable tools (all of them,
 * or `search_tools` past the budget). Every tool call goes through the tool-call service.
 * The assistant message is stored when the stream ends, however it ends; aborting `signal`
 * (the client went away: Stop) cancels the model and the tool calls in flight.
 *
 * Throws before streaming (an error envelope): `unavailable` (no provider), `not_found`,
 * `validation_failed`. After that, failures are `error` chunks of the stream.
 */
export async function streamChat(
  deps: ChatStreamDeps,
  input: {
    user: { id: string; email: string }
    request: ChatStreamRequest
    signal: AbortSignal
    /** The caller's address, for the audit log of refused tool calls. */
    ip?: string | null
  },
): Promise<Response> {
  const chat = deps.config.chat
  const setup = await deps.modelDirectory.current()
  if (setup.providers.length === 0) throw new AppError('unavailable', NO_PROVIDER_MESSAGE)
  // Answers to approval requests continue an answer: only a new question (or a regenerated
  // answer) counts against the daily limit.
  if (parseIncoming(input.request)?.role !== 'assistant') {
    await checkMessageLimit(deps, { userId: input.user.id })
  }
  // A conversation id not seen before is a draft: its first message creates it.
  const conversation = await openConversation(deps, {
    userId: input.user.id,
    request: input.request,
    checkFirst: (model) => checkFirstMessage(deps, input, model),
  })
  const modelId = await resolveModelId(deps, input.request.model ?? conversation.model)
  const choice = await chooseChatModel(deps, { modelId, userId: input.user.id })
  const { model } = choice
  const meter = createUsageMeter()
  const release = await deps.chatTurns.take(conversation.id)
  const span = deps.tracing.chat.turn({ conversationId: conversation.id, model: modelId })
  // The answer is stored (and the lock given back) when the stream ends, however it ends. Should
  // a client that went away leave the stream unfinished, the lock still goes after a grace time.
  input.signal.addEventListener('abort', () => setTimeout(release, ABANDONED_MS).unref(), {
    once: true,
  })
  let turn: Turn
  let catalog: ToolCatalog
  const files = filesForTurn(deps, {
    userId: conversation.user_id,
    conversationId: conversation.id,
    modelId,
  })
  try {
    turn = await beginTurn(deps, {
      conversation,
      request: input.request,
      modelId,
      // A new question's prompt is checked, then its files; a stored one's files only.
      checkQuestion: async (question, stored) =>
        files.checkQuestion(
          stored
            ? question
            : await checkPromptParts(deps.db, { userId: input.user.id, message: question }),
          stored,
        ),
    })
    catalog = await offeredToolsFor(deps, input.user.id, {
      serverIds: serverIdsOf(conversation.server_ids),
    })
  } catch (error) {
    span.end({ status: 'error', error })
    await release()
    throw error
  }
  const total = catalog.tools.length
  const mode = total > chat.toolBudget ? 'search' : 'all'

  const outcome = trackOutcome(
    (error) =>
      describeChatError(error, {
        provider: choice.provider.kind,
        keyName: keyNameOf(choice),
        log: (err) => deps.log.error({ err }, 'chat stream failed'),
      }),
    meter,
  )

  const stream = createUIMessageStream<ChatUIMessage>({
    originalMessages: turn.messages,
    generateId: () => turn.assistantId,
    onError: (error) => outcome.fail(error).text,
    // The model's requests and the tool calls all start here: children of the turn.
    execute: span.bind(async ({ writer }) => {
      writer.write({
        type: 'start',
        messageId: turn.assistantId,
        messageMetadata: { model: modelId },
      })
      writer.write({ type: 'data-tool-mode', id: 'tool-mode', data: { mode, total } })
      // Let the response go out with these first parts before binding hundreds of tools.
      await new Promise((resolve) => setImmediate(resolve))
      const { tools, loaded } = toolsForTurn(catalog, mode, turn, {
        deps,
        user: input.user,
        conversationId: conversation.id,
        messageId: turn.assistantId,
        writer,
        approved: turn.answered,
        ip: input.ip ?? null,
      })
      const result = streamText({
        model,
        // The user's instructions for this conversation follow the operator's prompt.
        system: withInstructions(
          systemPrompt({ base: chat.systemPrompt, mode, total }),
          conversation.instructions,
        ),
        messages: await convertToModelMessages(
          // Attached files go in as images or text (chat/attachments/model-input.ts), a prompt
          // as the text before the user's words (chat/prompt-parts.ts).
          await files.forModel(
            promptsForModel(turn.messages.filter((message) => message.parts.length > 0)),
          ),
          { tools, ignoreIncompleteToolCalls: true },
        ),
        tools,
        // Past the budget only search_tools is offered, then whatever it found (this answer only).
        ...(mode === 'search'
          ? { prepareStep: () => ({ activeTools: [SEARCH_TOOLS_NAME, ...loaded] }) }
          : {}),
        stopWhen: stepCountIs(chat.maxSteps),
        abortSignal: input.signal,
        experimental_telemetry: deps.tracing.chat.modelTelemetry,
        // Reported to the client as `error` chunks (below) and stored with the message.
        onError: () => {},
      })
      writer.merge(
        result.toUIMessageStream<ChatUIMessage>({
          sendStart: false,
          onError: (error) => outcome.describe(error).text,
          messageMetadata: ({ part }) => {
            const metadata = outcome.metadataFor(part)
            if (part.type !== 'error' || !metadata) return metadata
            // The SDK sends an error's metadata after the error chunk, when the client has
            // stopped reading: sent first, the UI has the reason to say in the reader's language.
            writer.write({ type: 'message-metadata', messageMetadata: metadata })
            return undefined
          },
        }),
      )
    }),
    onFinish: async ({ responseMessage, isAborted }) => {
      let status: ChatMessageStatus = 'error'
      try {
        status = outcome.statusAtEnd(responseMessage, isAborted || input.signal.aborted)
        deps.metrics.chat.turnFinished({
          model: modelId,
          status,
          usage: responseMessage.metadata?.usage,
          failure: outcome.failure()?.reason,
        })
        await storeAnswer(deps, {
          conversation,
          turn,
          message: responseMessage,
          modelId,
          status,
          error: outcome.failure(),
        })
        await recordUsage(deps, {
          userId: conversation.user_id,
          conversationId: conversation.id,
          message: newParts(responseMessage, turn),
          model: modelId,
          providerId: choice.provider.id,
          userKey: choice.userKey,
          status,
          cost: meter.cost(),
        })
        // Before the stream ends (and the turn is free): the client's refresh then shows it, and
        // nothing else reaches the model in between.
        if (status === 'complete' && turn.titleToReplace !== null) {
          await titleConversation(deps, {
            conversationId: conversation.id,
            model,
            messages: [...turn.messages.filter((m) => m.id !== turn.assistantId), responseMessage],
            ifTitle: turn.titleToReplace,
          })
        }
      } finally {
        span.end({ status, error: outcome.failure()?.reason?.key })
        await release()
      }
    },
  })
  return createUIMessageStreamResponse({ stream })
}

/**
 * A first message's prompt and files, checked before its conversation is created (a refusal
 * leaves none).
 */
async function checkFirstMessage(
  deps: ChatStreamDeps,
  input: { user: { id: string }; request: ChatStreamRequest },
  model: string | null,
): Promise<void> {
  const incoming = parseIncoming(input.request)
  if (incoming?.role !== 'user') return
  const hasFiles = incoming.parts.some((part) => part.type === 'file')
  const hasPrompt = incoming.parts.some((part) => part.type === 'data-prompt')
  if (!hasFiles && !hasPrompt) return
  const message = await checkPromptParts(deps.db, {
    userId: input.user.id,
    message: await checkUserMessage(incoming),
  })
  if (!hasFiles) return
  const files = filesForTurn(deps, {
    userId: input.user.id,
    conversationId: input.request.conversationId,
    modelId: await resolveModelId(deps, input.request.model ?? model),
  })
  await files.checkFirst(message)
}

/** The tools of this answer: every offerable one, or (past the budget) `search_tools` too. */
function toolsForTurn(
  catalog: ToolCatalog,
  mode: 'all' | 'search',
  turn: Turn,
  ctx: ToolContext,
): { tools: ToolSet; loaded: Set<string> } {
  const tools = exposeTools(catalog, ctx)
  // A continued answer keeps what search_tools loaded before the approval pause.
  const loaded = new Set([...turn.usedTools].filter((name) => catalog.byName.has(name)))
  if (mode === 'all') return { tools, loaded }
  const search = createSearchTool({ tools: catalog.tools, loaded })
  return { tools: { ...tools, [SEARCH_TOOLS_NAME]: search }, loaded }
}

/**
 * How the answer is going, from the parts streamed: the first failure (shown to the user and
 * stored with the message) and whether it stopped on approval requests.
 */
function trackOutcome(
  describe: (error: unknown) => ChatErrorText,
  meter: ReturnType<typeof createUsageMeter>,
) {
  let failure: ChatErrorText | null = null
  let approvalsAsked = 0
  const fail = (error: unknown): ChatErrorText => {
    failure ??= describe(error)
    return failure
  }
  return {
    describe,
    fail,
    failure: () => failure,
    /** `message-metadata` for the client as parts go by (the SDK merges it into the message). */
    metadataFor(part: TextStreamPart<ToolSet>): ChatMessageMetadata | undefined {
      switch (part.type) {
        case 'tool-approval-request':
          approvalsAsked += 1
          return undefined
        case 'finish-step':
          meter.step(part.providerMetadata)
          return undefined
        case 'error':
          return { status: 'error', ...errorMetadata(fail(part.error)) }
        case 'abort':
          return { status: 'aborted' }
        case 'finish':
          return {
            status: failure ? 'error' : approvalsAsked > 0 ? 'awaiting-approval' : 'complete',
            usage: {
              inputTokens: part.totalUsage.inputTokens,
              outputTokens: part.totalUsage.outputTokens,
              totalTokens: part.totalUsage.totalTokens,
            },
          }
        default:
          return undefined
      }
    },
    statusAtEnd(message: ChatUIMessage, aborted: boolean): ChatMessageStatus {
      if (aborted) return 'aborted'
      if (failure) return 'error'
      return pendingApprovals(message).length > 0 ? 'awaiting-approval' : 'complete'
    },
  }
}

/** Stores the assistant message as it ended; never throws (the stream is already over). */
async function storeAnswer(
  deps: ChatStreamDeps,
  input: {
    conversation: ConversationRow
    turn: Turn
    message: ChatUIMessage
    modelId: string
    status: ChatMessageStatus
    error: ChatErrorText | null
  },
): Promise<void> {
  const { message, status } = input
  const metadata: ChatMessageMetadata = {
    model: input.modelId,
    status,
    ...(input.error ? errorMetadata(input.error) : {}),
    ...(message.metadata?.usage ? { usage: message.metadata.usage } : {}),
  }
  const at = deps.now()
  try {
    await saveMessage(deps.db, {
      id: input.turn.assistantId,
      conversationId: input.conversation.id,
      parentId: input.turn.parentId,
      role: 'assistant',
      parts: settleParts(
        message.parts,
        status === 'aborted' ? UNFINISHED_TOOL_CALL.stopped : UNFINISHED_TOOL_CALL.brokeOff,
      ),
      metadata,
      at,
      createdAt: input.turn.assistantAt,
    })
    await touchConversation(deps.db, { conversationId: input.conversation.id, at })
    if (input.turn.leaf !== input.turn.assistantId) {
      await moveCurrentMessage(deps.db, {
        conversationId: input.conversation.id,
        from: input.turn.leaf,
        to: input.turn.assistantId,
      })
    }
  } catch (err) {
    // e.g. the conversation was deleted while it streamed
    deps.log.error({ err, conversationId: input.conversation.id }, 'storing the answer failed')
  }
}

/** Where the key that the provider refused is set, for the error the user reads. */
function keyNameOf(choice: ChatModelChoice): string | undefined {
  if (choice.userKey) return 'your own OpenRouter key (Settings)'
  if (choice.provider.source === 'admin') return `the key of "${choice.provider.name}" (Admin)`
  return undefined
}

/**
 * The answer without the tool parts it had before this turn (an answer continued after approval
 * requests already counted them).
 */
function newParts(message: ChatUIMessage, turn: Turn): ChatUIMessage {
  const before = turn.messages.find((m) => m.id === turn.assistantId)
  if (!before) return message
  const seen = new Set(
    before.parts.flatMap((part) => (part.type === 'dynamic-tool' ? [part.toolCallId] : [])),
  )
  return {
    ...message,
    parts: message.parts.filter(
      (part) => part.type !== 'dynamic-tool' || !seen.has(part.toolCallId),
    ),
  }
}

/** A failure as the message metadata carries it: the English text and its reason. */
function errorMetadata(failure: ChatErrorText): Pick<ChatMessageMetadata, 'error' | 'errorReason'> {
  return failure.reason
    ? { error: failure.text, errorReason: failure.reason }
    : { error: failure.text }
}
