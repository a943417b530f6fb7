import { Bot, CircleAlert, CircleSlash, FileText, RotateCw, Search } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { ToolCallLinkData, ToolModeData, ToolProgressData } from '../../shared/chat.ts'
import type { ChatToolPart, ChatUIMessage, ChatUIPart } from '../api/chat.ts'
import { reasonText } from '../i18n/reason-text.ts'
import { MessageAttachments } from './chat-attachments.tsx'
import {
  BranchSwitcher,
  CopyMessageButton,
  EditMessageButton,
  messageMarkdown,
  RegenerateButton,
} from './chat-message-actions.tsx'
import { ChatMessageEditor } from './chat-message-editor.tsx'
import { MessagePrompt } from './chat-prompt.tsx'
import { ChatText } from './chat-text.tsx'
import { ChatToolCard, type ChatToolCardProps } from './chat-tool-card.tsx'
import { Alert } from './ui/alert.tsx'
import { Button } from './ui/button.tsx'
import { Spinner } from './ui/spinner.tsx'

/** The data parts of one message, by the tool call they belong to (each replaces the last). */
function collectData(parts: readonly ChatUIPart[]) {
  const progress = new Map<string, ToolProgressData>()
  const links = new Map<string, ToolCallLinkData>()
  let toolMode: ToolModeData | undefined
  for (const part of parts) {
    if (part.type === 'data-tool-progress') progress.set(part.data.toolCallId, part.data)
    else if (part.type === 'data-tool-call') links.set(part.data.toolCallId, part.data)
    else if (part.type === 'data-tool-mode') toolMode = part.data
  }
  return { progress, links, toolMode }
}

/** Whether a part shows anything (step boundaries and data parts do not, on their own). */
function isVisible(part: ChatUIPart): boolean {
  if (part.type === 'text' || part.type === 'reasoning') return part.text.trim() !== ''
  return part.type === 'dynamic-tool' || part.type === 'file' || part.type.startsWith('tool-')
}

export interface ChatMessageProps {
  message: ChatUIMessage
  /** This message is the one being streamed right now. */
  streaming: boolean
  /** The chat is sending or streaming: approvals wait. */
  busy: boolean
  /** Why this answer failed, when the stream said so before its metadata could (live only). */
  error?: string
  onApproval: ChatToolCardProps['onApproval']
  /** An MCP App in this message sends a message to the chat (after the user confirmed it). */
  onAppMessage?: ChatToolCardProps['onAppMessage']
  /** A later message follows: approvals this one still asks for can no longer be given. */
  superseded?: boolean
  /** What can be done to the message (copy, edit, answer again, other versions). */
  actions?: ChatMessageActions
}

export interface ChatMessageActions {
  /** Every version of this message (edited, or answered again), itself included; or none. */
  versions: readonly string[] | undefined
  onSwitchVersion: (id: string) => void
  /** A user message open for editing. */
  editing: boolean
  onEdit: () => void
  onEditSend: (text: string) => void
  onEditCancel: () => void
  /** Answer again (an assistant message), with this model or the conversation's. */
  onRegenerate: (model?: string) => void
  /** The models on offer, to answer again with. */
  models: readonly { id: string; label: string }[]
  /** Nothing can be sent right now (an answer streams, no provider). */
  disabled: boolean
}

/** One message of the thread: the user's words, or the model's answer with its tool calls. */
export function ChatMessage({
  message,
  streaming,
  busy,
  error,
  onApproval,
  onAppMessage,
  superseded = false,
  actions,
}: ChatMessageProps) {
  const { t } = useTranslation()
  if (message.role === 'user') {
    return (
      <div className="flex flex-col items-end gap-1" data-role="user">
        <span className="sr-only">{t('chat.thread.you')}</span>
        {message.parts.map((part, index) =>
          part.type === 'data-prompt' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: a message's parts never reorder
            <MessagePrompt key={index} data={part.data} />
          ) : null,
        )}
        <MessageAttachments parts={message.parts} />
        {actions?.editing ? (
          <ChatMessageEditor
            text={messageMarkdown(message)}
            disabled={actions.disabled}
            onSend={actions.onEditSend}
            onCancel={actions.onEditCancel}
          />
        ) : (
          message.parts.some((part) => part.type === 'text') && (
            <div className="max-w-[85%] rounded-2xl rounded-br-sm bg-primary px-4 py-2.5 text-sm text-primary-foreground">
              {message.parts.map((part, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a message's parts never reorder
                <UserPart key={index} part={part} />
              ))}
            </div>
          )
        )}
        {actions && !actions.editing && (
          <div className="flex items-center gap-0.5" data-message-actions="">
            {actions.versions && (
              <BranchSwitcher
                ids={actions.versions}
                current={message.id}
                disabled={busy}
                onSwitch={actions.onSwitchVersion}
              />
            )}
            <CopyMessageButton message={message} />
            <EditMessageButton disabled={actions.disabled} onEdit={actions.onEdit} />
          </div>
        )}
      </div>
    )
  }

  const { progress, links, toolMode } = collectData(message.parts)
  const metadata = message.metadata
  const empty = !message.parts.some(isVisible)
  const stored =
    metadata?.status === 'error' && metadata.error
      ? reasonText(t, metadata.errorReason, metadata.error)
      : undefined
  const failure = stored ?? error
  return (
    <div className="flex gap-3" data-role="assistant" data-status={metadata?.status}>
      <span
        className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full bg-muted"
        aria-hidden="true"
      >
        <Bot className="size-4 text-muted-foreground" />
      </span>
      <div className="flex min-w-0 flex-1 flex-col gap-3 text-sm">
        <span className="sr-only">{t('chat.thread.assistant')}</span>
        {toolMode?.mode === 'search' && (
          <Alert variant="info" data-tool-mode="search">
            <Search aria-hidden="true" />
            <p>{t('chat.toolMode.search', { count: toolMode.total })}</p>
          </Alert>
        )}
        {message.parts.map((part, index) => {
          if (part.type === 'dynamic-tool') {
            return (
              <ChatToolCard
                key={part.toolCallId}
                part={part as ChatToolPart}
                progress={progress.get(part.toolCallId)}
                link={links.get(part.toolCallId)}
                streaming={streaming}
                canAnswer={!busy}
                superseded={superseded}
                onApproval={onApproval}
                onAppMessage={onAppMessage}
              />
            )
          }
          // biome-ignore lint/suspicious/noArrayIndexKey: a message's parts never reorder
          return <AssistantPart key={index} part={part} />
        })}
        {streaming && empty && <Spinner label={t('chat.thread.thinking')} />}
        {(metadata?.status === 'error' || error) && (
          <Alert variant="destructive" data-message-error="">
            <CircleAlert aria-hidden="true" />
            <div className="flex min-w-0 flex-col gap-2">
              <p className="font-medium">{t('chat.thread.failed')}</p>
              {failure && <p className="break-words">{failure}</p>}
              {actions && !streaming && (
                <div>
                  <Button
                    size="sm"
                    variant="outline"
                    disabled={actions.disabled}
                    onClick={() => actions.onRegenerate()}
                  >
                    <RotateCw aria-hidden="true" />
                    {t('chat.actions.tryAgain')}
                  </Button>
                </div>
              )}
            </div>
          </Alert>
        )}
        {metadata?.status === 'aborted' && (
          <p className="flex items-center gap-1.5 text-xs text-muted-foreground">
            <CircleSlash className="size-3.5" aria-hidden="true" />
            {t('chat.thread.stopped')}
          </p>
        )}
        {actions && !streaming && (
          <div className="-ml-1.5 flex items-center gap-0.5" data-message-actions="">
            {actions.versions && (
              <BranchSwitcher
                ids={actions.versions}
                current={message.id}
                disabled={busy}
                onSwitch={actions.onSwitchVersion}
              />
            )}
            {messageMarkdown(message) !== '' && <CopyMessageButton message={message} />}
            <RegenerateButton
              models={actions.models}
              answeredWith={metadata?.model}
              disabled={actions.disabled}
              onRegenerate={actions.onRegenerate}
            />
          </div>
        )}
      </div>
    </div>
  )
}

function UserPart({ part }: { part: ChatUIPart }) {
  // Files show above the words (MessageAttachments).
  if (part.type === 'text') return <ChatText text={part.text} tone="inverted" />
  return null
}

function AssistantPart({ part }: { part: ChatUIPart }) {
  const { t } = useTranslation()
  switch (part.type) {
    case 'text':
      return <ChatText text={part.text} />
    case 'reasoning':
      return part.text.trim() ? (
        <details className="rounded-md border border-dashed px-3 py-2 text-muted-foreground [&[open]>summary]:mb-2">
          <summary className="w-fit cursor-pointer rounded-sm text-xs font-medium">
            {t('chat.thread.reasoning')}
          </summary>
          <ChatText text={part.text} className="text-xs" />
        </details>
      ) : null
    case 'file':
      return <FileLink url={part.url} name={part.filename} />
    default:
      // step-start and the data parts: their content shows in the cards and notices above.
      return null
  }
}

/** Files travel as data URLs or web links; nothing else is followed. */
function FileLink({ url, name }: { url: string; name?: string }) {
  const { t } = useTranslation()
  const safe = /^(https?:|data:)/i.test(url)
  if (!safe) return null
  return (
    <a
      href={url}
      download={url.startsWith('data:') ? (name ?? true) : undefined}
      target={url.startsWith('data:') ? undefined : '_blank'}
      rel="noopener noreferrer"
      className="inline-flex items-center gap-1.5 underline underline-offset-4"
    >
      <FileText className="size-4" aria-hidden="true" />
      {name ?? t('chat.thread.file')}
    </a>
  )
}
