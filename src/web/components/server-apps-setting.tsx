import { useQuery } from '@tanstack/react-query'
import { AppWindow } from 'lucide-react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { McpServerView } from '../../shared/mcp-servers.ts'
import { serverQueries, useUpdateServer } from '../api/mcp-servers.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { Card, CardContent } from './ui/card.tsx'
import { Label } from './ui/label.tsx'
import { Switch } from './ui/switch.tsx'

/**
 * "Show apps" for a server whose tools have MCP Apps: off, their cards show the plain result.
 * Shown only when the server has such a tool; on a shared server it is the user's own choice.
 */
export function ServerAppsSetting({ server }: { server: McpServerView }) {
  const { t } = useTranslation()
  const id = useId()
  const errorMessage = useErrorMessage()
  const tools = useQuery(serverQueries.tools(server.id))
  const update = useUpdateServer()
  const appCount = tools.data?.filter((tool) => tool.app).length ?? 0
  if (appCount === 0) return null
  const checked = update.isPending
    ? (update.variables?.changes.renderApps ?? server.renderApps)
    : server.renderApps

  const change = (renderApps: boolean) =>
    update.mutate(
      { id: server.id, changes: { renderApps, validate: true } },
      {
        onSuccess: () =>
          toast.success(t(renderApps ? 'apps.renderOn' : 'apps.renderOff', { name: server.name })),
        onError: (error) => toast.error(errorMessage(error)),
      },
    )

  return (
    <Card>
      <CardContent className="flex items-start gap-3">
        <AppWindow className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <Label htmlFor={`${id}-apps`}>{t('apps.renderLabel')}</Label>
          <p id={`${id}-hint`} className="text-sm text-muted-foreground">
            {t('apps.renderHint', { count: appCount })}
          </p>
        </div>
        <Switch
          id={`${id}-apps`}
          checked={checked}
          disabled={update.isPending}
          onCheckedChange={change}
          aria-describedby={`${id}-hint`}
        />
      </CardContent>
    </Card>
  )
}
