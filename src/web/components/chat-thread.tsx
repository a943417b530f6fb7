import { useChat } from '@ai-sdk/react'
import { useQueryClient } from '@tanstack/react-query'
import { type FileUIPart, lastAssistantMessageIsCompleteWithApprovalResponses } from 'ai'
import { CircleAlert, MessageSquare, RotateCw } from 'lucide-react'
import { useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { toast } from 'sonner'
import type { ChatConfig, ConversationDetail } from '../../shared/chat.ts'
import type { PromptPartData } from '../../shared/mcp-prompts.ts'
import {
  type ChatUIMessage,
  chatQueries,
  chatRequestError,
  createChatTransport,
  isDraft,
  markDraftSent,
  toUIMessages,
} from '../api/chat.ts'
import { useSaveConversationSettings } from '../api/conversation-settings.ts'
import { recordDraftChanges } from '../api/draft-settings.ts'
import { toolCallQueries } from '../api/tool-calls.ts'
import { useChatActions, useStopOnEscape } from '../hooks/use-chat-actions.ts'
import { useChatScroll } from '../hooks/use-chat-scroll.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { ChatComposer } from './chat-composer.tsx'
import { ChatInstructions } from './chat-instructions.tsx'
import { ChatJumpToLatest } from './chat-jump-to-latest.tsx'
import { ChatMessage } from './chat-message.tsx'
import { ChatModelPicker, resolvePickedModel } from './chat-model-picker.tsx'
import { Alert } from './ui/alert.tsx'
import { Button } from './ui/button.tsx'
import { Spinner } from './ui/spinner.tsx'

export interface ChatThreadProps {
  /** As stored when the page opened: seeds the chat (mount one per conversation id). */
  conversation: ConversationDetail
  /** The title as the list has it now (it changes after the first message). */
  title: string
  config: ChatConfig
  /** How many MCP servers the user has (undefined while loading). */
  serverCount: number | undefined
}

/** One conversation: its messages and tool calls, live while the model answers, and the composer. */
export function ChatThread({ conversation, title, config, serverCount }: ChatThreadProps) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const errorMessage = useErrorMessage()
  const saveSettings = useSaveConversationSettings()
  const [model, setModel] = useState(() => resolvePickedModel(config, conversation.model))
  const modelRef = useRef(model)
  modelRef.current = model
  const transport = useMemo(() => createChatTransport(() => modelRef.current), [])
  const initialMessages = useMemo(
    () => toUIMessages(conversation.messages),
    [conversation.messages],
  )

  // Whether the conversation is in the list: a draft is not, until its first message is sent.
  const listed = useRef(conversation.messages.length > 0)
  const chat = useChat<ChatUIMessage>({
    id: conversation.id,
    messages: initialMessages,
    transport,
    // Once every approval request of the answer is answered, the SDK sends them on by itself.
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    experimental_throttle: 50,
    onData: () => {
      // A draft's first message created the conversation: list it now, not after the answer.
      if (!listed.current) {
        listed.current = true
        markDraftSent(conversation.id)
        void queryClient.invalidateQueries({ queryKey: chatQueries.lists() })
      }
    },
    onFinish: () => {
      // The title (after the first answer) and the order of the list change; calls were logged.
      void queryClient.invalidateQueries({ queryKey: chatQueries.lists() })
      void queryClient.invalidateQueries({ queryKey: toolCallQueries.all() })
    },
  })
  const { messages, status } = chat
  const busy = status === 'submitted' || status === 'streaming'
  const last = messages.at(-1)
  const actions = useChatActions({
    conversationId: conversation.id,
    stored: conversation.messages,
    chat,
    onSend: () => scroll.scrollToBottom(),
  })

  const composer = useRef<HTMLTextAreaElement>(null)
  // The thread scrolls, not the page (the chat page gives it the height below the header): its
  // header and the composer stay in view while the messages move. It follows a streaming
  // answer down until the reader scrolls up (hooks/use-chat-scroll.ts).
  const scroll = useChatScroll()

  const send = (text: string, files: FileUIPart[], prompt: PromptPartData | null) => {
    scroll.scrollToBottom()
    // The prompt, then the files, then the words; no empty text part without words.
    void chat.sendMessage({
      parts: [
        ...(prompt ? [{ type: 'data-prompt' as const, data: prompt }] : []),
        ...files,
        ...(text.trim() === '' ? [] : [{ type: 'text' as const, text }]),
      ],
    })
  }

  const stop = async () => {
    await chat.stop()
    // The server stores the answer as stopped; show it so now, without a reload.
    chat.setMessages((current) => {
      const final = current.at(-1)
      if (final?.role !== 'assistant') return current
      return [
        ...current.slice(0, -1),
        { ...final, metadata: { ...final.metadata, status: 'aborted' } },
      ]
    })
    composer.current?.focus()
  }
  useStopOnEscape(busy, () => void stop())

  /** Up in the empty composer: edit the last message the user sent (false: there is none). */
  const editLast = () => {
    const lastQuestion = messages.findLast((message) => message.role === 'user')
    if (!lastQuestion || busy) return false
    actions.startEditing(lastQuestion.id)
    return true
  }
  const cannotSend = busy || !config.providerConfigured

  const pickModel = (next: string, nextLabel?: string) => {
    const previous = model
    setModel(next)
    const label = nextLabel ?? config.models.find((m) => m.id === next)?.label ?? next
    // A draft is not stored yet (asking the server would only get a 404): the tab keeps the
    // model, and the first message carries it and creates the conversation with it.
    if (isDraft(conversation.id)) {
      recordDraftChanges(conversation.id, { model: next })
      toast.success(t('chat.model.changed', { model: label }))
      return
    }
    saveSettings.mutate(
      { id: conversation.id, changes: { model: next } },
      {
        onSuccess: () => toast.success(t('chat.model.changed', { model: label })),
        onError: (error) => {
          setModel(previous)
          toast.error(errorMessage(error))
        },
      },
    )
  }

  const awaitingApproval =
    last?.role === 'assistant' &&
    last.parts.some((part) => part.type === 'dynamic-tool' && part.state === 'approval-requested')
  // Approvals answered but not sent on (the request failed): sending again continues the answer.
  const answeredApprovals =
    last?.role === 'assistant' &&
    last.parts.some((part) => part.type === 'dynamic-tool' && part.state === 'approval-responded')
  // An error the answer itself carries is shown in it; only others need a line of their own.
  const shownInMessage = last?.role === 'assistant' && last.metadata?.status === 'error'
  const failure = chat.error && !shownInMessage ? chat.error : undefined
  const describeFailure = useChatErrorText()
  // The answer had started: its error belongs in it (as it will be after a reload). Otherwise the
  // request itself was refused, and gets a line of its own with a way to send it again.
  const failedAnswer =
    failure && last?.role === 'assistant' && !answeredApprovals
      ? describeFailure(failure)
      : undefined
  const requestError = failure && failedAnswer === undefined ? failure : undefined

  return (
    <section
      ref={scroll.scrollRef}
      aria-labelledby="chat-thread-title"
      className="flex min-h-0 min-w-0 flex-1 flex-col gap-4 overflow-y-auto"
    >
      <header className="sticky top-0 z-10 flex flex-wrap items-center justify-between gap-x-4 gap-y-2 border-b bg-background pb-3">
        <h2 id="chat-thread-title" className="min-w-0 truncate text-lg font-semibold">
          {title}
        </h2>
        <div className="flex min-w-0 items-center gap-2">
          <ChatInstructions conversation={conversation} disabled={busy} draft={!listed.current} />
          <ChatModelPicker
            config={config}
            value={model}
            disabled={busy || saveSettings.isPending}
            onChange={pickModel}
          />
        </div>
      </header>

      {messages.length === 0 ? (
        <ThreadWelcome serverCount={serverCount} />
      ) : (
        <ol
          ref={scroll.contentRef}
          aria-label={t('chat.thread.label')}
          aria-busy={busy}
          className="flex flex-col gap-6"
          data-chat-status={status}
        >
          {messages.map((message, index) => (
            <li key={message.id}>
              <ChatMessage
                message={message}
                streaming={busy && index === messages.length - 1}
                busy={busy}
                error={index === messages.length - 1 ? failedAnswer : undefined}
                superseded={index < messages.length - 1}
                onApproval={(answer) => void chat.addToolApprovalResponse(answer)}
                onAppMessage={(text) => {
                  // One request at a time: an app's message waits for the answer to finish.
                  if (busy) return false
                  send(text, [], null)
                  return true
                }}
                actions={{
                  versions: actions.branches.get(message.id),
                  onSwitchVersion: actions.switchVersion,
                  editing: actions.editingId === message.id,
                  onEdit: () => actions.startEditing(message.id),
                  onEditSend: (text) => actions.edit(message.id, text),
                  onEditCancel: () => {
                    actions.cancelEditing()
                    composer.current?.focus()
                  },
                  onRegenerate: (picked) => actions.regenerate(message.id, picked),
                  models: config.models,
                  disabled: cannotSend,
                }}
              />
            </li>
          ))}
          {busy && last?.role === 'user' && (
            <li>
              <Spinner label={t('chat.thread.thinking')} className="ml-10" />
            </li>
          )}
        </ol>
      )}

      {requestError && (
        <RequestError
          error={requestError}
          canRetry={last?.role === 'user' || answeredApprovals}
          onRetry={() => void (answeredApprovals ? chat.sendMessage() : chat.regenerate())}
          onDismiss={chat.clearError}
        />
      )}

      <div className="sticky bottom-0 mt-auto bg-background pt-2 pb-4">
        <ChatJumpToLatest visible={!scroll.isAtBottom} onJump={scroll.scrollToBottom} />
        <ChatComposer
          busy={busy}
          blockedReason={config.providerConfigured ? null : t('chat.composer.noProvider')}
          hint={awaitingApproval ? t('chat.composer.approvalHint') : undefined}
          attachmentLimits={config.attachments}
          model={model}
          onSend={send}
          onStop={() => void stop()}
          onEditLast={editLast}
          textareaRef={composer}
        />
      </div>
    </section>
  )
}

function ThreadWelcome({ serverCount }: { serverCount: number | undefined }) {
  const { t } = useTranslation()
  return (
    <div className="flex flex-col items-center gap-3 px-4 py-12 text-center">
      <span className="flex size-12 items-center justify-center rounded-full bg-muted">
        <MessageSquare className="size-6 text-muted-foreground" aria-hidden="true" />
      </span>
      <p className="text-base font-semibold">{t('chat.thread.emptyTitle')}</p>
      <p className="max-w-prose text-sm text-muted-foreground">{t('chat.thread.emptyBody')}</p>
      {serverCount === 0 && (
        <p className="max-w-prose text-sm text-muted-foreground">
          {t('chat.thread.noServers')}{' '}
          <Link to="/servers" className="font-medium text-foreground underline underline-offset-4">
            {t('chat.goToServers')}
          </Link>
        </p>
      )}
    </div>
  )
}

/** A failed chat request in words for the user. */
function useChatErrorText(): (error: Error) => string {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  return (error) => {
    const apiError = chatRequestError(error)
    // Errors inside the stream arrive as the server's own sentence for the user.
    if (!apiError) return error.message || t('errors.internal')
    if (apiError.code === 'unavailable') return t('chat.thread.providerUnavailable')
    if (apiError.code === 'busy') return t('chat.thread.busy')
    // A refused message: the server's reason, else what is wrong with the first field.
    if (apiError.code === 'validation_failed' && !apiError.reason) {
      return Object.values(apiError.fieldErrors(t))[0] ?? apiError.message
    }
    return errorMessage(apiError)
  }
}

/** The request itself failed (no answer came): what happened, and a way to try again. */
function RequestError({
  error,
  canRetry,
  onRetry,
  onDismiss,
}: {
  error: Error
  canRetry: boolean
  onRetry: () => void
  onDismiss: () => void
}) {
  const { t } = useTranslation()
  const message = useChatErrorText()(error)
  return (
    <Alert variant="destructive" role="alert" data-chat-error="">
      <CircleAlert aria-hidden="true" />
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <p className="font-medium">{t('chat.thread.requestFailed')}</p>
        <p className="break-words">{message}</p>
        <div className="flex gap-2">
          {canRetry && (
            <Button size="sm" variant="outline" onClick={onRetry}>
              <RotateCw aria-hidden="true" />
              {t('common.retry')}
            </Button>
          )}
          <Button size="sm" variant="ghost" onClick={onDismiss}>
            {t('common.close')}
          </Button>
        </div>
      </div>
    </Alert>
  )
}
