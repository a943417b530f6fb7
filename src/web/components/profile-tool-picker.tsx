import { useQuery } from '@tanstack/react-query'
import { ChevronDown, ChevronRight } from 'lucide-react'
import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { McpProfile } from '../../shared/mcp-profiles.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import { Button } from './ui/button.tsx'
import { Spinner } from './ui/spinner.tsx'

/** Per server: offered whole (`all`), or only these of its tools. Absent: not offered. */
export type ProfileChoice = Readonly<Record<string, 'all' | readonly string[]>>

/** A profile's servers and single tools as the picker holds them. */
export function choiceOf(profile: Pick<McpProfile, 'serverIds' | 'tools'>): ProfileChoice {
  const choice: Record<string, 'all' | string[]> = {}
  for (const tool of profile.tools) {
    const chosen = choice[tool.serverId]
    choice[tool.serverId] = [...(Array.isArray(chosen) ? chosen : []), tool.id]
  }
  for (const serverId of profile.serverIds) choice[serverId] = 'all'
  return choice
}

/** The choice as the API takes it: whole servers, and single tools of the others. */
export function offerOf(choice: ProfileChoice): { serverIds: string[]; toolIds: string[] } {
  const entries = Object.entries(choice)
  return {
    serverIds: entries.filter(([, tools]) => tools === 'all').map(([serverId]) => serverId),
    toolIds: entries.flatMap(([, tools]) => (tools === 'all' ? [] : tools)),
  }
}

interface PickerServer {
  id: string
  name: string
}

/**
 * The servers a profile offers, each whole or (under "Choose tools") only some of its tools.
 * Native checkboxes: Tab and Space work as everywhere; a server offered in part is shown
 * "mixed" (indeterminate) to screen readers too.
 */
export function ProfileToolPicker({
  servers,
  value,
  onChange,
}: {
  servers: readonly PickerServer[]
  value: ProfileChoice
  onChange: (choice: ProfileChoice) => void
}) {
  const { t } = useTranslation()
  const set = (serverId: string, tools: 'all' | readonly string[] | null) => {
    const { [serverId]: _, ...rest } = value
    onChange(tools === null || tools.length === 0 ? rest : { ...rest, [serverId]: tools })
  }
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium">{t('settings.profiles.servers')}</legend>
      <p className="text-sm text-muted-foreground">{t('settings.profiles.serversHint')}</p>
      {servers.length === 0 && (
        <p className="text-sm text-muted-foreground">{t('models.servers.none')}</p>
      )}
      <ul className="flex flex-col gap-1">
        {servers.map((server) => (
          <ServerRow
            key={server.id}
            server={server}
            chosen={value[server.id]}
            onChange={(tools) => set(server.id, tools)}
          />
        ))}
      </ul>
    </fieldset>
  )
}

function ServerRow({
  server,
  chosen,
  onChange,
}: {
  server: PickerServer
  chosen: 'all' | readonly string[] | undefined
  onChange: (tools: 'all' | readonly string[] | null) => void
}) {
  const { t } = useTranslation()
  const id = useId()
  const partial = Array.isArray(chosen)
  const [open, setOpen] = useState(partial)
  const box = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (box.current) box.current.indeterminate = partial
  }, [partial])
  return (
    <li className="flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-2">
          <input
            ref={box}
            type="checkbox"
            className="size-4 accent-primary"
            // Mixed → all → none, as a tri-state checkbox goes.
            checked={chosen === 'all'}
            aria-checked={partial ? 'mixed' : chosen === 'all'}
            onChange={() => onChange(chosen === 'all' ? null : 'all')}
          />
          {server.name}
        </label>
        {partial && (
          <span className="text-xs text-muted-foreground">
            {t('settings.profiles.someTools', { count: chosen.length })}
          </span>
        )}
        <Button
          type="button"
          variant="ghost"
          size="sm"
          aria-expanded={open}
          aria-controls={`${id}-tools`}
          aria-label={t('settings.profiles.chooseToolsOf', { server: server.name })}
          onClick={() => setOpen(!open)}
        >
          {open ? <ChevronDown aria-hidden="true" /> : <ChevronRight aria-hidden="true" />}
          {t('settings.profiles.chooseTools')}
        </Button>
      </div>
      {open && (
        <div id={`${id}-tools`} className="ml-6">
          <ToolList server={server} chosen={chosen} onChange={onChange} />
        </div>
      )}
    </li>
  )
}

function ToolList({
  server,
  chosen,
  onChange,
}: {
  server: PickerServer
  chosen: 'all' | readonly string[] | undefined
  onChange: (tools: 'all' | readonly string[] | null) => void
}) {
  const { t } = useTranslation()
  const tools = useQuery(serverQueries.tools(server.id))
  if (tools.isPending) return <Spinner label={t('common.loading')} />
  if (tools.isError)
    return <p className="text-sm text-destructive">{t('settings.profiles.toolsFailed')}</p>
  if (tools.data.length === 0) {
    return <p className="text-sm text-muted-foreground">{t('settings.profiles.noTools')}</p>
  }
  const all = tools.data.map((tool) => tool.id)
  const isChosen = (toolId: string) =>
    chosen === 'all' || (Array.isArray(chosen) && chosen.includes(toolId))
  const toggle = (toolId: string, on: boolean) => {
    const now = all.filter((id) => (id === toolId ? on : isChosen(id)))
    onChange(now.length === all.length ? 'all' : now)
  }
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="sr-only">{t('settings.profiles.toolsOf', { server: server.name })}</legend>
      {tools.data.map((tool) => (
        <label key={tool.id} className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="size-4 accent-primary"
            checked={isChosen(tool.id)}
            onChange={(event) => toggle(tool.id, event.target.checked)}
          />
          <span className="font-mono text-xs">{tool.name}</span>
          {!tool.enabled && (
            <span className="text-xs text-muted-foreground">{t('settings.profiles.toolOff')}</span>
          )}
        </label>
      ))}
    </fieldset>
  )
}
