import { useQuery } from '@tanstack/react-query'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { serverQueries } from '../api/mcp-servers.ts'
import { ErrorState } from './error-state.tsx'
import { Label } from './ui/label.tsx'
import { RadioGroup, RadioGroupItem } from './ui/radio-group.tsx'
import { Spinner } from './ui/spinner.tsx'

/**
 * Which servers' tools a conversation (or a preset) offers the model: all of the user's (null),
 * or only those ticked here (an empty list: no tools at all).
 */
export function ServerChoice({
  value,
  onChange,
}: {
  value: string[] | null
  onChange: (serverIds: string[] | null) => void
}) {
  const { t } = useTranslation()
  const id = useId()
  const servers = useQuery(serverQueries.list())
  const chosen = new Set(value ?? [])
  const toggle = (serverId: string, on: boolean) => {
    const next = new Set(chosen)
    if (on) next.add(serverId)
    else next.delete(serverId)
    // Keep the order of the list, so a saved choice reads the same way it was made.
    onChange((servers.data ?? []).map((s) => s.id).filter((sid) => next.has(sid)))
  }
  return (
    <fieldset className="flex flex-col gap-3">
      <legend id={`${id}-legend`} className="mb-2 text-sm font-medium">
        {t('models.servers.legend')}
      </legend>
      <RadioGroup
        aria-labelledby={`${id}-legend`}
        value={value === null ? 'all' : 'some'}
        onValueChange={(next) =>
          onChange(next === 'all' ? null : (servers.data ?? []).map((s) => s.id))
        }
      >
        <div className="flex items-center gap-2">
          <RadioGroupItem id={`${id}-all`} value="all" />
          <Label htmlFor={`${id}-all`} className="font-normal">
            {t('models.servers.all')}
          </Label>
        </div>
        <div className="flex items-center gap-2">
          <RadioGroupItem id={`${id}-some`} value="some" />
          <Label htmlFor={`${id}-some`} className="font-normal">
            {t('models.servers.some')}
          </Label>
        </div>
      </RadioGroup>
      {value !== null &&
        (servers.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : servers.isError ? (
          <ErrorState error={servers.error} onRetry={() => servers.refetch()} />
        ) : servers.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('models.servers.none')}</p>
        ) : (
          <ul className="ml-6 flex flex-col gap-2" aria-label={t('models.servers.listLabel')}>
            {servers.data.map((server) => (
              <li key={server.id} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  id={`${id}-${server.id}`}
                  checked={chosen.has(server.id)}
                  onChange={(event) => toggle(server.id, event.target.checked)}
                  className="size-4 cursor-pointer accent-primary"
                />
                <Label htmlFor={`${id}-${server.id}`} className="min-w-0 font-normal break-words">
                  {server.name}
                  {!server.enabled && (
                    <span className="ml-1 text-muted-foreground">
                      ({t('models.servers.switchedOff')})
                    </span>
                  )}
                </Label>
              </li>
            ))}
          </ul>
        ))}
      {value !== null && value.length === 0 && servers.data && servers.data.length > 0 && (
        <p className="text-sm text-muted-foreground">{t('models.servers.noTools')}</p>
      )}
    </fieldset>
  )
}
