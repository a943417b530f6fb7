import { type QueryClient, useQueryClient } from '@tanstack/react-query'
import type { i18n as I18n } from 'i18next'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { type AppEvent, AppEventSchema } from '../../shared/events.ts'
import { authQueries } from '../api/auth.ts'
import {
  addPendingElicitation,
  elicitationQueries,
  removePendingElicitation,
} from '../api/elicitations.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import { applyToolCallProgress, applyToolCallUpdate, toolCallQueries } from '../api/tool-calls.ts'

const EVENT_TYPES = [
  'server.status',
  'server.tools',
  'tool-call.updated',
  'tool-call.progress',
  'elicitation.requested',
  'elicitation.ended',
  'account.ended',
] as const satisfies ReadonlyArray<AppEvent['type']>

/**
 * Keeps server status, tool lists, tool calls and servers' questions live: listens to
 * `GET /api/events`, refetches the server queries when a status or tool list changes, and writes
 * tool-call updates, progress and questions straight into the cache. EventSource reconnects by
 * itself; events sent while it was away are lost, so a reconnect refetches what they would have
 * changed. Mounted once, in the app shell, so every signed-in page shares one connection.
 */
export function useServerEvents(): void {
  const queryClient = useQueryClient()
  // The instance, not `t`: it stays the same when the language changes, so the stream stays open.
  const { i18n } = useTranslation()
  useEffect(() => {
    const source = new EventSource('/api/events')
    const onMessage = (message: MessageEvent<string>) => {
      const parsed = AppEventSchema.safeParse(safeJson(message.data))
      if (parsed.success) applyEvent(queryClient, i18n, parsed.data)
    }
    for (const type of EVENT_TYPES) source.addEventListener(type, onMessage)
    // `ready` comes once the stream is subscribed: questions asked before it came no event.
    source.addEventListener('ready', () => {
      void queryClient.invalidateQueries({ queryKey: elicitationQueries.all() })
    })
    let connectedBefore = false
    source.addEventListener('open', () => {
      if (connectedBefore) {
        void queryClient.invalidateQueries({ queryKey: serverQueries.all() })
        void queryClient.invalidateQueries({ queryKey: toolCallQueries.all() })
      }
      connectedBefore = true
    })
    return () => source.close()
  }, [queryClient, i18n])
}

function applyEvent(queryClient: QueryClient, i18n: I18n, event: AppEvent): void {
  switch (event.type) {
    case 'server.status':
    case 'server.tools':
      void queryClient.invalidateQueries({ queryKey: serverQueries.all() })
      return
    case 'tool-call.updated':
      applyToolCallUpdate(queryClient, event.call)
      return
    case 'tool-call.progress':
      applyToolCallProgress(queryClient, event.callId, event.progress)
      return
    case 'elicitation.requested':
      addPendingElicitation(queryClient, event.elicitation)
      return
    case 'account.ended':
      // The session is gone: asking who is signed in answers 401 and leads to the sign-in page.
      void queryClient.invalidateQueries({ queryKey: authQueries.me().queryKey })
      return
    case 'elicitation.ended': {
      // Answered here or elsewhere closes quietly; nobody answering in time deserves a word.
      const ended = removePendingElicitation(queryClient, event.id)
      if (ended && event.outcome === 'expired') {
        toast.info(i18n.t('elicitation.expired'), {
          description: i18n.t('elicitation.expiredDetail', { server: ended.serverName }),
        })
      }
      return
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
