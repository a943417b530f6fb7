import { useQuery } from '@tanstack/react-query'
import {
  Check,
  CircleAlert,
  CircleSlash,
  Loader2,
  type LucideIcon,
  ScrollText,
  ShieldCheck,
  ShieldQuestion,
  Wrench,
  X,
} from 'lucide-react'
import { type ReactNode, useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { toast } from 'sonner'
import {
  type ChatToolMetadata,
  ChatToolMetadataSchema,
  ChatToolOutputSchema,
  SEARCH_TOOLS_NAME,
  SUPERSEDED_APPROVAL_REASON,
  type ToolCallLinkData,
  type ToolProgressData,
  UNFINISHED_TOOL_CALL,
} from '../../shared/chat.ts'
import type { ChatToolPart } from '../api/chat.ts'
import { serverQueries, useUpdateTool } from '../api/mcp-servers.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { useToolHasApp } from '../hooks/use-tool-has-app.ts'
import { reasonText } from '../i18n/reason-text.ts'
import { McpApp } from './mcp-app.tsx'
import { ProgressBar } from './progress-bar.tsx'
import { ToolArgumentsView } from './tool-arguments-view.tsx'
import { useFormatDuration } from './tool-call-duration.ts'
import { JsonBlock, ToolResultView } from './tool-result-view.tsx'
import { Alert } from './ui/alert.tsx'
import { Badge, type BadgeProps } from './ui/badge.tsx'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'

/** What the card shows, from the part's state and whether the answer is still streaming. */
type CardState =
  | 'preparing'
  | 'running'
  | 'approval'
  | 'approved'
  | 'succeeded'
  | 'failed'
  | 'denied'
  | 'interrupted'
  | 'superseded'

const BADGES: Record<CardState, { variant: BadgeProps['variant']; icon: LucideIcon }> = {
  preparing: { variant: 'outline', icon: Loader2 },
  running: { variant: 'secondary', icon: Loader2 },
  approval: { variant: 'warning', icon: ShieldQuestion },
  approved: { variant: 'secondary', icon: ShieldCheck },
  succeeded: { variant: 'success', icon: Check },
  failed: { variant: 'destructive', icon: CircleAlert },
  denied: { variant: 'secondary', icon: CircleSlash },
  interrupted: { variant: 'warning', icon: CircleSlash },
  superseded: { variant: 'secondary', icon: CircleSlash },
}

function cardStateOf(part: ChatToolPart, busy: boolean, superseded: boolean): CardState {
  switch (part.state) {
    case 'input-streaming':
      return busy ? 'preparing' : 'interrupted'
    case 'input-available':
      // Not streaming any more and still no result: the answer was stopped or broke off.
      return busy ? 'running' : 'interrupted'
    case 'approval-requested':
      // A later message went on without answering: the server denied it, nothing can run it.
      return superseded ? 'superseded' : 'approval'
    case 'approval-responded':
      if (!part.approval.approved) return deniedState(part.approval.reason)
      return busy ? 'running' : 'approved'
    case 'output-available':
      return 'succeeded'
    case 'output-error':
      return 'failed'
    case 'output-denied':
      return deniedState(part.approval.reason)
  }
}

/** A denial the server made because a new message came instead of an answer is no denial. */
function deniedState(reason: string | undefined): CardState {
  return reason === SUPERSEDED_APPROVAL_REASON ? 'superseded' : 'denied'
}

export interface ChatToolCardProps {
  part: ChatToolPart
  /** The latest `data-tool-progress` of this call. */
  progress?: ToolProgressData
  /** The `data-tool-call` of this call: its entry in the tool-call log. */
  link?: ToolCallLinkData
  /** Its answer is still streaming (a call without a result may yet get one). */
  streaming: boolean
  /** Approvals can be answered now (the chat is not sending or streaming). */
  canAnswer: boolean
  /**
   * A later message follows this one: an approval it still asks for was never answered (the
   * server denied it when that message was sent), so the card is closed, not answerable.
   */
  superseded?: boolean
  onApproval: (answer: { id: string; approved: boolean }) => void
  /** Sends the tool's MCP App's `ui/message` to the chat; false while the chat is busy. */
  onAppMessage?: ((text: string) => boolean) | undefined
}

/**
 * One tool call in the conversation: which tool of which server, its arguments, a spinner and
 * progress while it runs, then its result or error; and the approve / deny buttons while it
 * waits for the user.
 */
export function ChatToolCard({
  part,
  progress,
  link,
  streaming,
  canAnswer,
  superseded = false,
  onApproval,
  onAppMessage,
}: ChatToolCardProps) {
  const { t } = useTranslation()
  const id = useId()
  const metadata = ChatToolMetadataSchema.safeParse(part.toolMetadata)
  const meta = metadata.success ? metadata.data : undefined
  const isSearch = part.toolName === SEARCH_TOOLS_NAME
  const toolName = meta?.toolName ?? (isSearch ? t('chat.tool.search') : part.toolName)
  const serverName = meta?.serverName
  const state = cardStateOf(part, streaming, superseded)
  const inputSchema = useInputSchema(meta)
  const hasApp = useToolHasApp(meta?.serverId, meta?.toolId)
  const output = part.state === 'output-available' ? part.output : undefined
  const parsedOutput = ChatToolOutputSchema.safeParse(output)
  const callId = link?.callId ?? (parsedOutput.success ? parsedOutput.data.callId : null)
  const { icon: BadgeIcon, variant } = BADGES[state]
  const spinning = state === 'preparing' || state === 'running'
  // The server's markers for calls that never finished, in the reader's language.
  const errorText = (text: string) =>
    text === UNFINISHED_TOOL_CALL.stopped
      ? t('chat.tool.stopped')
      : text === UNFINISHED_TOOL_CALL.brokeOff
        ? t('chat.tool.interrupted')
        : text

  return (
    <article
      aria-label={
        serverName
          ? t('chat.tool.label', { tool: toolName, server: serverName })
          : t('chat.tool.labelNoServer', { tool: toolName })
      }
      aria-busy={spinning || undefined}
      data-tool-call-id={part.toolCallId}
      data-tool={meta?.toolName ?? part.toolName}
      data-state={state}
      className={cn(
        'flex flex-col gap-3 rounded-lg border bg-card p-3 text-sm shadow-xs',
        state === 'failed' && 'border-destructive/50 bg-destructive/5',
        state === 'approval' && 'border-warning-foreground/40',
      )}
    >
      <header className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <Wrench className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
        <span className="font-mono font-semibold break-all">{toolName}</span>
        {serverName && (
          <span className="text-muted-foreground">{t('chat.tool.on', { server: serverName })}</span>
        )}
        <Badge variant={variant} className="ml-auto" data-status={state}>
          <BadgeIcon className={cn(spinning && 'animate-spin')} aria-hidden="true" />
          {t(`chat.tool.state.${state}`)}
        </Badge>
      </header>

      {state === 'approval' ? (
        // What would run is read before deciding: open, as fields.
        <section aria-labelledby={`${id}-arguments`} className="flex flex-col gap-2">
          <h4
            id={`${id}-arguments`}
            className="text-xs font-medium tracking-wide text-muted-foreground uppercase"
          >
            {t('chat.tool.arguments')}
          </h4>
          <ToolArgumentsView value={part.input ?? {}} schema={inputSchema} />
        </section>
      ) : (
        <Disclosure summary={t('chat.tool.arguments')}>
          <ToolArgumentsView value={part.input ?? {}} schema={inputSchema} />
        </Disclosure>
      )}

      {spinning && (
        <div className="flex flex-col gap-1.5">
          <p className="text-muted-foreground" role="status">
            {t(state === 'preparing' ? 'chat.tool.preparing' : 'chat.tool.running', {
              tool: toolName,
            })}
          </p>
          {state === 'running' && <Elapsed />}
          {state === 'running' && (
            <ProgressBar
              label={t('chat.tool.progress', { tool: toolName })}
              value={progress?.progress}
              total={progress?.total}
              valueText={
                progress?.message ??
                (progress && progress.total !== undefined
                  ? t('chat.tool.step', { progress: progress.progress, total: progress.total })
                  : undefined)
              }
            />
          )}
          {state === 'running' && progress?.message && (
            <p className="text-xs text-muted-foreground">{progress.message}</p>
          )}
        </div>
      )}

      {part.state === 'approval-requested' && state === 'approval' && (
        <ApprovalPrompt
          id={`${id}-question`}
          approvalId={part.approval.id}
          toolName={toolName}
          serverName={serverName}
          meta={meta}
          disabled={!canAnswer}
          onApproval={onApproval}
        />
      )}

      {state === 'succeeded' && meta && hasApp && parsedOutput.success && (
        <McpApp
          serverId={meta.serverId}
          toolId={meta.toolId}
          toolName={toolName}
          input={(part.input ?? {}) as Record<string, unknown>}
          output={parsedOutput.data}
          onMessage={onAppMessage}
        />
      )}

      {state === 'succeeded' && (
        <Disclosure summary={t('chat.tool.result')} defaultOpen={!hasApp}>
          {parsedOutput.success ? (
            <ToolResultView output={parsedOutput.data} serverId={meta?.serverId} />
          ) : (
            <JsonBlock value={output ?? null} />
          )}
        </Disclosure>
      )}

      {part.state === 'output-error' && (
        <Alert variant="destructive" data-tool-error="">
          <CircleAlert aria-hidden="true" />
          <div className="flex min-w-0 flex-col gap-1">
            <p className="font-medium">{t('chat.tool.errorTitle')}</p>
            <p className="break-words whitespace-pre-wrap">
              {reasonText(t, link?.reason, errorText(part.errorText))}
            </p>
          </div>
        </Alert>
      )}

      {state === 'denied' && (
        <p className="text-muted-foreground">
          {part.state === 'output-denied' && part.approval.reason
            ? t('chat.tool.deniedBecause', { reason: part.approval.reason })
            : t('chat.tool.denied')}
        </p>
      )}

      {state === 'interrupted' && (
        <p className="text-muted-foreground">{t('chat.tool.interrupted')}</p>
      )}

      {state === 'superseded' && (
        <p className="text-muted-foreground">{t('chat.tool.superseded')}</p>
      )}

      {callId && (
        <Link
          to={`/tool-calls?call=${encodeURIComponent(callId)}`}
          className="inline-flex items-center gap-1.5 self-start rounded-sm text-xs font-medium underline underline-offset-4 hover:text-muted-foreground"
        >
          <ScrollText className="size-3.5" aria-hidden="true" />
          {t('chat.tool.openInToolCalls')}
        </Link>
      )}
    </article>
  )
}

/** The called tool's input schema, for the field titles of its arguments (null until loaded). */
function useInputSchema(meta: ChatToolMetadata | undefined): Record<string, unknown> | null {
  const tools = useQuery({ ...serverQueries.tools(meta?.serverId ?? ''), enabled: Boolean(meta) })
  return tools.data?.find((tool) => tool.id === meta?.toolId)?.inputSchema ?? null
}

/** How long the call has been running, counted from when this card saw it start. */
function Elapsed() {
  const { t } = useTranslation()
  const formatDuration = useFormatDuration()
  const [started] = useState(() => Date.now())
  const [now, setNow] = useState(started)
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(timer)
  }, [])
  const seconds = Math.floor((now - started) / 1000)
  // A quick call needs no clock: it shows once the wait is noticeable.
  if (seconds < 2) return null
  return (
    <p className="text-xs text-muted-foreground tabular-nums" data-elapsed={seconds}>
      {t('chat.tool.elapsed', { time: formatDuration(seconds * 1000) })}
    </p>
  )
}

/** A labelled fold (native details/summary: keyboard and screen readers know it). */
function Disclosure({
  summary,
  defaultOpen = false,
  children,
}: {
  summary: string
  defaultOpen?: boolean
  children: ReactNode
}) {
  return (
    <details open={defaultOpen} className="[&[open]>summary]:mb-2">
      <summary className="w-fit cursor-pointer rounded-sm text-xs font-medium tracking-wide text-muted-foreground uppercase hover:text-foreground">
        {summary}
      </summary>
      {children}
    </details>
  )
}

function ApprovalPrompt({
  id,
  approvalId,
  toolName,
  serverName,
  meta,
  disabled,
  onApproval,
}: {
  id: string
  approvalId: string
  toolName: string
  serverName: string | undefined
  meta: ChatToolMetadata | undefined
  disabled: boolean
  onApproval: ChatToolCardProps['onApproval']
}) {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  const updateTool = useUpdateTool(meta?.serverId ?? '')
  const [answered, setAnswered] = useState(false)

  const answer = (approved: boolean) => {
    setAnswered(true)
    onApproval({ id: approvalId, approved })
  }

  // "Always allow": the tool stops asking from now on, and this call is approved.
  const alwaysAllow = () => {
    if (!meta) return
    updateTool.mutate(
      { toolId: meta.toolId, changes: { approvalPolicy: 'never' } },
      {
        onSuccess: () => {
          toast.success(t('chat.tool.alwaysAllowed', { tool: toolName }))
          answer(true)
        },
        onError: (error) => toast.error(errorMessage(error)),
      },
    )
  }

  const off = disabled || answered || updateTool.isPending
  return (
    <div className="flex flex-col gap-2 rounded-md bg-warning/60 p-3 text-warning-foreground">
      <p id={id} className="font-medium">
        {serverName
          ? t('chat.tool.approvalQuestion', { tool: toolName, server: serverName })
          : t('chat.tool.approvalQuestionNoServer', { tool: toolName })}
      </p>
      <div className="flex flex-wrap gap-2">
        <Button size="sm" disabled={off} aria-describedby={id} onClick={() => answer(true)}>
          <Check aria-hidden="true" />
          {t('chat.tool.approve')}
        </Button>
        <Button
          size="sm"
          variant="outline"
          disabled={off}
          aria-describedby={id}
          onClick={() => answer(false)}
        >
          <X aria-hidden="true" />
          {t('chat.tool.deny')}
        </Button>
        {meta && (
          <Button
            size="sm"
            variant="ghost"
            disabled={off}
            pending={updateTool.isPending}
            aria-describedby={`${id}-always`}
            onClick={alwaysAllow}
          >
            <ShieldCheck aria-hidden="true" />
            {t('chat.tool.alwaysAllow')}
          </Button>
        )}
      </div>
      {meta && (
        <p id={`${id}-always`} className="text-xs">
          {t('chat.tool.alwaysAllowHint', { tool: toolName })}
        </p>
      )}
    </div>
  )
}
