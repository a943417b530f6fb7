import { useQuery } from '@tanstack/react-query'
import { X } from 'lucide-react'
import { useEffect, useEffectEvent, useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { z } from 'zod'
import { DEFAULT_CONVERSATION_TITLE } from '../../shared/chat.ts'
import { TOOL_CALL_STATUSES, ToolCallStatusSchema } from '../../shared/tool-calls.ts'
import { chatQueries } from '../api/chat.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import type { ToolCallFilters } from '../api/tool-calls.ts'
import { Button } from './ui/button.tsx'
import { Input } from './ui/input.tsx'
import { Label } from './ui/label.tsx'
import { Select } from './ui/select.tsx'

/** The filters as they stand in the URL; dates are `YYYY-MM-DD` in the user's time zone. */
const FILTER_KEYS = ['serverId', 'toolName', 'status', 'conversation', 'from', 'to'] as const
type FilterKey = (typeof FILTER_KEYS)[number]
export type UrlFilters = Record<FilterKey, string>

const TYPING_DELAY_MS = 350
const UuidSchema = z.uuid()
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Local midnight of a `YYYY-MM-DD` day, `days` later, as an ISO datetime. */
function localDay(date: string, days = 0): string | undefined {
  const match = DATE.exec(date)
  if (!match) return undefined
  const [, year, month, day] = match.map(Number)
  return new Date(year ?? 0, (month ?? 1) - 1, (day ?? 1) + days).toISOString()
}

/** What the API is asked: only values it accepts, so a typo in the URL never breaks the list. */
function toApiFilters(url: UrlFilters): ToolCallFilters {
  const status = ToolCallStatusSchema.safeParse(url.status)
  // `to` is the whole day the user picked: up to the last millisecond before the next one.
  const end = localDay(url.to, 1)
  return {
    serverId: UuidSchema.safeParse(url.serverId).success ? url.serverId : undefined,
    toolName: url.toolName.trim() || undefined,
    status: status.success ? status.data : undefined,
    // Matched against the titles of the user's conversations, in any case.
    conversation: url.conversation.trim() || undefined,
    from: localDay(url.from),
    to: end && new Date(new Date(end).getTime() - 1).toISOString(),
  }
}

/** The filters and the selected call, kept in the URL so a view can be shared and reloaded. */
export function useToolCallFilters() {
  const [params, setParams] = useSearchParams()
  const key = params.toString()
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `params`' content
  const url = useMemo(
    () => Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as UrlFilters,
    [key],
  )
  const api = useMemo(() => toApiFilters(url), [url])
  const update = (changes: Partial<Record<FilterKey | 'call', string | null>>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current)
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value)
          else next.delete(name)
        }
        return next
      },
      { replace: true },
    )
  return {
    url,
    api,
    active: FILTER_KEYS.some((k) => url[k] !== ''),
    set: (name: FilterKey, value: string) => update({ [name]: value }),
    clear: () => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, null]))),
    selected: params.get('call'),
    select: (id: string | null) => update({ call: id }),
  }
}

export type ToolCallFilterState = ReturnType<typeof useToolCallFilters>

/** Text typed into a filter, written to the URL once the typing pauses. */
function useTypedFilter(value: string, commit: (value: string) => void) {
  const [text, setText] = useState(value)
  const [seen, setSeen] = useState(value)
  if (seen !== value) {
    setSeen(value)
    setText(value)
  }
  const onPause = useEffectEvent(commit)
  useEffect(() => {
    if (text === value) return
    const timer = window.setTimeout(() => onPause(text), TYPING_DELAY_MS)
    return () => window.clearTimeout(timer)
  }, [text, value])
  return [text, setText] as const
}

export function ToolCallFilterBar({ filters }: { filters: ToolCallFilterState }) {
  const { t } = useTranslation()
  const id = useId()
  const { url, set } = filters
  const servers = useQuery(serverQueries.list())
  const tools = useQuery({
    ...serverQueries.tools(url.serverId),
    enabled: UuidSchema.safeParse(url.serverId).success,
  })
  const [tool, setTool] = useTypedFilter(url.toolName, (v) => set('toolName', v.trim()))
  const [conversation, setConversation] = useTypedFilter(url.conversation, (v) =>
    set('conversation', v.trim()),
  )
  // Titles to pick from while typing; the server matches any part of any title.
  const conversations = useQuery(chatQueries.conversations())
  const titles = [
    ...new Set(
      conversations.data
        ?.map((c) => c.title)
        // Untitled ones are stored as "New conversation" but shown in the user's language.
        .filter((title) => title !== DEFAULT_CONVERSATION_TITLE),
    ),
  ]

  return (
    <search aria-label={t('toolCalls.filters.label')} className="flex flex-col gap-3">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-3 xl:grid-cols-6">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`${id}-server`}>{t('toolCalls.filters.server')}</Label>
          <Select
            id={`${id}-server`}
            value={url.serverId}
            onChange={(event) => filters.set('serverId', event.target.value)}
          >
            <option value="">{t('toolCalls.filters.anyServer')}</option>
            {servers.data?.map((server) => (
              <option key={server.id} value={server.id}>
                {server.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`${id}-tool`}>{t('toolCalls.filters.tool')}</Label>
          <Input
            id={`${id}-tool`}
            type="search"
            value={tool}
            list={tools.data ? `${id}-tools` : undefined}
            placeholder={t('toolCalls.filters.anyTool')}
            autoComplete="off"
            onChange={(event) => setTool(event.target.value)}
          />
          {tools.data && (
            <datalist id={`${id}-tools`}>
              {tools.data.map((candidate) => (
                <option key={candidate.id} value={candidate.name} />
              ))}
            </datalist>
          )}
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`${id}-status`}>{t('toolCalls.filters.status')}</Label>
          <Select
            id={`${id}-status`}
            value={url.status}
            onChange={(event) => set('status', event.target.value)}
          >
            <option value="">{t('toolCalls.filters.anyStatus')}</option>
            {TOOL_CALL_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`toolCalls.status.${status}`)}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`${id}-conversation`}>{t('toolCalls.filters.conversation')}</Label>
          <Input
            id={`${id}-conversation`}
            type="search"
            value={conversation}
            list={titles.length > 0 ? `${id}-conversations` : undefined}
            placeholder={t('toolCalls.filters.conversationPlaceholder')}
            autoComplete="off"
            onChange={(event) => setConversation(event.target.value)}
          />
          {titles.length > 0 && (
            <datalist id={`${id}-conversations`}>
              {titles.map((title) => (
                <option key={title} value={title} />
              ))}
            </datalist>
          )}
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`${id}-from`}>{t('toolCalls.filters.from')}</Label>
          <Input
            id={`${id}-from`}
            type="date"
            value={url.from}
            max={url.to || undefined}
            onChange={(event) => set('from', event.target.value)}
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`${id}-to`}>{t('toolCalls.filters.to')}</Label>
          <Input
            id={`${id}-to`}
            type="date"
            value={url.to}
            min={url.from || undefined}
            onChange={(event) => set('to', event.target.value)}
          />
        </div>
      </div>
      {filters.active && (
        <Button variant="ghost" size="sm" className="self-start" onClick={filters.clear}>
          <X aria-hidden="true" />
          {t('toolCalls.filters.clear')}
        </Button>
      )}
    </search>
  )
}
