import { useQuery } from '@tanstack/react-query'
import { type KeyboardEvent, type RefObject, useDeferredValue, useState } from 'react'
import type { McpPromptMatch } from '../../shared/mcp-prompts.ts'
import type { McpResourceMatch } from '../../shared/mcp-resources.ts'
import { promptSearchQuery, resourceSearchQuery } from '../api/mcp-servers.ts'
import {
  type ComposerMenuItem,
  type ComposerTrigger,
  findTrigger,
} from '../components/chat-composer-menu.tsx'
import type { AttachmentUploads } from './use-attachment-uploads.ts'

export interface ComposerMenuState {
  /** The list shown above the box, or null. */
  open: {
    kind: ComposerTrigger['kind']
    items: ComposerMenuItem[]
    active: number
    loading: boolean
  } | null
  /** A template picked with `@`, whose variables the user is asked for. */
  template: McpResourceMatch | null
  onCaret: (caret: number | null) => void
  onBlur: () => void
  /** Arrow keys, Enter, Tab and Escape while the list is open; true when the key was used. */
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean
  pick: (index: number) => void
  setActive: (index: number) => void
  attachTemplate: (uri: string, name: string) => void
  closeTemplate: () => void
}

type Match =
  | ({ kind: 'resource' | 'template' } & McpResourceMatch)
  | ({ kind: 'prompt' } & McpPromptMatch)

/**
 * The composer's lists: `@` offers the user's servers' resources matching what follows it (a
 * pick attaches the resource; a template asks for its variables first); `/` at the start offers
 * their prompts (a pick hands the prompt to `onPrompt`). The typed `@…` or `/…` goes; Escape
 * closes the list until the text before the caret changes.
 */
export function useComposerMenu({
  text,
  setText,
  textarea,
  uploads,
  onPrompt,
}: {
  text: string
  setText: (text: string) => void
  textarea: RefObject<HTMLTextAreaElement | null>
  uploads: Pick<AttachmentUploads, 'addResource'>
  onPrompt: (prompt: McpPromptMatch) => void
}): ComposerMenuState {
  const [caret, setCaret] = useState<number | null>(null)
  const [dismissed, setDismissed] = useState<string | null>(null)
  const [active, setActive] = useState(0)
  const [template, setTemplate] = useState<McpResourceMatch | null>(null)
  const trigger = caret === null ? null : findTrigger(text, caret)
  const triggerKey = trigger ? `${trigger.kind}:${trigger.start}:${trigger.query}` : null
  const shown = trigger && triggerKey !== dismissed ? trigger : null
  const query = useDeferredValue(shown?.query ?? '')
  const resources = useQuery({
    ...resourceSearchQuery(query),
    enabled: shown?.kind === 'resource',
  })
  const prompts = useQuery({ ...promptSearchQuery(query), enabled: shown?.kind === 'prompt' })
  const matches: Match[] =
    shown?.kind === 'resource'
      ? (resources.data ?? []).map((match) => ({ ...match, kind: match.kind }))
      : shown?.kind === 'prompt'
        ? (prompts.data ?? []).map((match) => ({ ...match, kind: 'prompt' as const }))
        : []
  const items = matches.map(toItem)
  const loading = shown?.kind === 'prompt' ? prompts.isFetching : resources.isFetching
  const current = Math.min(active, Math.max(items.length - 1, 0))

  // The `@…` typed is replaced by nothing: the pick shows as an attachment, not as text.
  const takeTriggerText = () => {
    if (!shown || caret === null) return
    setText(text.slice(0, shown.start) + text.slice(caret))
    const at = shown.start
    setCaret(null)
    requestAnimationFrame(() => {
      textarea.current?.focus()
      textarea.current?.setSelectionRange(at, at)
    })
  }

  const pick = (index: number) => {
    const match = matches[index]
    if (!match) return
    takeTriggerText()
    setActive(0)
    if (match.kind === 'prompt') {
      onPrompt(match)
      return
    }
    if (match.kind === 'template') {
      setTemplate(match)
      return
    }
    uploads.addResource({
      serverId: match.serverId,
      server: match.serverName,
      uri: match.uri,
      name: match.title ?? match.name,
    })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!shown || event.nativeEvent.isComposing) return false
    const count = items.length
    if (event.key === 'Escape') {
      event.preventDefault()
      setDismissed(triggerKey)
      return true
    }
    if (count === 0) return false
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      setActive((current + step + count) % count)
      return true
    }
    if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
      event.preventDefault()
      pick(current)
      return true
    }
    return false
  }

  return {
    open: shown
      ? {
          kind: shown.kind,
          items,
          active: current,
          loading,
        }
      : null,
    template,
    onCaret: (at) => {
      setCaret(at)
      setActive(0)
    },
    // The list belongs to the box: it goes when the box loses focus (a click on it does not blur).
    onBlur: () => setCaret(null),
    onKeyDown,
    pick,
    setActive,
    attachTemplate: (uri, name) => {
      if (template) {
        uploads.addResource({ serverId: template.serverId, server: template.serverName, uri, name })
      }
      setTemplate(null)
      textarea.current?.focus()
    },
    closeTemplate: () => {
      setTemplate(null)
      textarea.current?.focus()
    },
  }
}

function toItem(match: Match): ComposerMenuItem {
  if (match.kind === 'prompt') {
    return {
      key: match.id,
      icon: 'prompt',
      label: match.title ?? match.name,
      server: match.serverName,
      description: match.description,
      detail: `/${match.name}`,
    }
  }
  return {
    key: match.id,
    icon: match.kind === 'template' ? 'template' : 'resource',
    label: match.title ?? match.name,
    server: match.serverName,
    description: match.description,
    detail: match.uri,
  }
}
