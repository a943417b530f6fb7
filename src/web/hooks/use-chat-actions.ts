import type { UseChatHelpers } from '@ai-sdk/react'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { toast } from 'sonner'
import type { ChatMessage } from '../../shared/chat.ts'
import {
  branchesOf,
  type ChatRequestExtras,
  type ChatUIMessage,
  chatQueries,
  type MessageBranches,
  toUIMessages,
  useShowBranch,
} from '../api/chat.ts'
import { useErrorMessage } from './use-error-message.ts'

export interface ChatActions {
  /** The versions of each message that has several, by message id. */
  branches: MessageBranches
  /** The user message open for editing, if any. */
  editingId: string | null
  startEditing: (id: string) => void
  cancelEditing: () => void
  /** Sends new text for a user message: it and its answer become a new branch. */
  edit: (id: string, text: string) => void
  /** Answers again (a new branch beside the old answer), with `model` or the conversation's. */
  regenerate: (assistantId: string, model?: string) => void
  /** Shows the branch through this version of a message (stored on the server). */
  switchVersion: (id: string) => void
}

/**
 * What a user can do to the messages of a thread besides sending: edit one, answer again, and
 * switch between the versions that leaves. The server keeps every version in the conversation's
 * tree; this keeps the thread (useChat's messages) on the branch on show, and learns the versions
 * of each message from the server once an edit or a new answer is stored.
 */
export function useChatActions(input: {
  conversationId: string
  /** The branch as stored when the thread opened. */
  stored: readonly ChatMessage[]
  chat: UseChatHelpers<ChatUIMessage>
  /** Before anything is sent (keep the view at the end, say). */
  onSend: () => void
}): ChatActions {
  const { conversationId, chat } = input
  const queryClient = useQueryClient()
  const errorMessage = useErrorMessage()
  const showBranch = useShowBranch()
  const [branches, setBranches] = useState(() => branchesOf(input.stored))
  const [editingId, setEditingId] = useState<string | null>(null)
  // An edit or a new answer adds a version: once it is stored, ask which versions there are.
  const refreshBranches = useRef(false)

  useEffect(() => {
    if (chat.status !== 'ready' && chat.status !== 'error') return
    if (!refreshBranches.current) return
    refreshBranches.current = false
    queryClient
      .fetchQuery(chatQueries.detail(conversationId))
      .then((detail) => setBranches(branchesOf(detail.messages)))
      .catch(() => {
        // The versions show after the next reload; the thread itself is right.
      })
  }, [chat.status, conversationId, queryClient])

  const request = (extras: ChatRequestExtras) =>
    Object.keys(extras).length > 0 ? { body: extras } : {}

  return {
    branches,
    editingId,
    startEditing: setEditingId,
    cancelEditing: () => setEditingId(null),
    edit: (id, text) => {
      const index = chat.messages.findIndex((message) => message.id === id)
      if (index === -1) return
      // The new version follows what the old one followed (null: it was the first message).
      const parentId = chat.messages[index - 1]?.id ?? null
      // The new version keeps the prompt and the files of the one edited.
      const kept = (chat.messages[index]?.parts ?? []).filter(
        (part) => part.type === 'data-prompt' || part.type === 'file',
      )
      setEditingId(null)
      input.onSend()
      refreshBranches.current = true
      chat.setMessages(chat.messages.slice(0, index))
      void chat.sendMessage(
        { parts: [...kept, ...(text.trim() === '' ? [] : [{ type: 'text' as const, text }])] },
        request({ parentId }),
      )
    },
    regenerate: (assistantId, model) => {
      setEditingId(null)
      input.onSend()
      refreshBranches.current = true
      void chat.regenerate({ messageId: assistantId, ...request(model ? { model } : {}) })
    },
    switchVersion: (id) => {
      showBranch.mutate(
        { id: conversationId, messageId: id },
        {
          onSuccess: (detail) => {
            setEditingId(null)
            setBranches(branchesOf(detail.messages))
            chat.setMessages(toUIMessages(detail.messages))
          },
          onError: (error) => toast.error(errorMessage(error)),
        },
      )
    },
  }
}

/**
 * Escape stops the answer while it streams, wherever the focus is, unless something on top
 * (a dialog, a menu, a field that handled it) took the key first.
 */
export function useStopOnEscape(active: boolean, stop: () => void): void {
  const latest = useRef(stop)
  latest.current = stop
  useEffect(() => {
    if (!active) return
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing) return
      if (document.querySelector('[role="dialog"], [role="alertdialog"], [role="menu"]')) return
      event.preventDefault()
      latest.current()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [active])
}
