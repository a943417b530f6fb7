import { useChat } from '@ai-sdk/react'
import { useQueryClient } from '@tanstack/react-query'
import { lastAssistantMessageIsCompleteWithApprovalResponses } from 'ai'
import { CircleAlert, MessageSquare, RotateCw } from 'lucide-react'
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { toast } from 'sonner'
import type { ChatConfig, ConversationDetail } from '../../shared/chat.ts'
import {
  type ChatUIMessage,
  chatQueries,
  chatRequestError,
  createChatTransport,
  toUIMessages,
  useUpdateConversation,
} from '../api/chat.ts'
import { toolCallQueries } from '../api/tool-calls.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { ChatComposer } from './chat-composer.tsx'
import { ChatMessage } from './chat-message.tsx'
import { ChatModelPicker, resolvePickedModel } from './chat-model-picker.tsx'
import { Alert } from './ui/alert.tsx'
import { Button } from './ui/button.tsx'
import { Spinner } from './ui/spinner.tsx'

/** Within this many pixels of the end, new output keeps the view at the end. */
const STICK_PX = 160

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
  const updateConversation = useUpdateConversation()
  const [model, setModel] = useState(() => resolvePickedModel(config, conversation.model))
  const modelRef = useRef(model)
  modelRef.current = model
  const transport = useMemo(() => createChatTransport(() => modelRef.current), [])
  const initialMessages = useMemo(
    () => toUIMessages(conversation.messages),
    [conversation.messages],
  )

  const chat = useChat<ChatUIMessage>({
    id: conversation.id,
    messages: initialMessages,
    transport,
    // Once every approval request of the answer is answered, the SDK sends them on by itself.
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    experimental_throttle: 50,
    onFinish: () => {
      // The title (after the first message) and the order of the list change; calls were logged.
      void queryClient.invalidateQueries({ queryKey: chatQueries.conversations().queryKey })
      void queryClient.invalidateQueries({ queryKey: toolCallQueries.all() })
    },
  })
  const { messages, status } = chat
  const busy = status === 'submitted' || status === 'streaming'
  const last = messages.at(-1)

  const composer = useRef<HTMLTextAreaElement>(null)
  const stick = useRef(true)
  useEffect(() => {
    const onScroll = () => {
      const { scrollY, innerHeight } = window
      stick.current = scrollY + innerHeight >= document.documentElement.scrollHeight - STICK_PX
    }
    window.addEventListener('scroll', onScroll, { passive: true })
    return () => window.removeEventListener('scroll', onScroll)
  }, [])
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow every change of the thread
  useLayoutEffect(() => {
    // The page scrolls, not the thread: the composer stays stuck to the bottom of the window.
    if (stick.current) window.scrollTo({ top: document.documentElement.scrollHeight })
  }, [messages, status])

  const send = (text: string) => {
    stick.current = true
    void chat.sendMessage({ text })
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

  const pickModel = (next: string) => {
    const previous = model
    setModel(next)
    updateConversation.mutate(
      { id: conversation.id, changes: { model: next } },
      {
        onSuccess: () => {
          const label = config.models.find((m) => m.id === next)?.label ?? next
          toast.success(t('chat.model.changed', { model: label }))
        },
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
    <section aria-labelledby="chat-thread-title" className="flex min-w-0 flex-1 flex-col gap-4">
      <header className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 border-b pb-3">
        <h2 id="chat-thread-title" className="min-w-0 truncate text-lg font-semibold">
          {title}
        </h2>
        <ChatModelPicker
          config={config}
          value={model}
          disabled={busy || updateConversation.isPending}
          onChange={pickModel}
        />
      </header>

      {messages.length === 0 ? (
        <ThreadWelcome serverCount={serverCount} />
      ) : (
        <ol
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
                onApproval={(answer) => void chat.addToolApprovalResponse(answer)}
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
        <ChatComposer
          busy={busy}
          blockedReason={config.providerConfigured ? null : t('chat.composer.noProvider')}
          hint={awaitingApproval ? t('chat.composer.approvalHint') : undefined}
          onSend={send}
          onStop={() => void stop()}
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
    if (apiError.code === 'validation_failed') return apiError.message
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
