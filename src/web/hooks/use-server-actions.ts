import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { McpServerView } from '../../shared/mcp-servers.ts'
import { ApiError } from '../api/client.ts'
import { useSyncServer, useTestServer, useUpdateServer } from '../api/mcp-servers.ts'
import { useErrorMessage } from './use-error-message.ts'

/**
 * Test, sync and switch one server on or off, each reported in a toast. The mutations are the
 * caller's own, so a card can show its own pending state and last test result.
 */
export function useServerActions(server: McpServerView) {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  const test = useTestServer()
  const sync = useSyncServer()
  const update = useUpdateServer()
  const { id, name } = server

  // An MCP server's own words ("server answered 401: check the token") say what to fix.
  const toastError = (error: unknown, title?: string) => {
    const upstream = error instanceof ApiError && error.code.startsWith('upstream_')
    toast.error(title ?? errorMessage(error), {
      description: upstream ? error.message : title ? errorMessage(error) : undefined,
    })
  }

  const runTest = () =>
    test.mutate(id, {
      onSuccess: (result) => {
        if (result.ok) {
          toast.success(
            t('servers.test.ok', { name, ms: result.latencyMs ?? 0, count: result.toolCount ?? 0 }),
          )
        } else {
          toast.error(t('servers.test.failed', { name }), { description: result.error?.message })
        }
      },
      onError: (error) => toastError(error),
    })

  const runSync = () =>
    sync.mutate(id, {
      onSuccess: ({ added, removed, changed }) => {
        const nothing = added.length + removed.length + changed.length === 0
        toast.success(t('servers.sync.done', { name }), {
          description: nothing
            ? t('servers.sync.noChanges')
            : [
                t('servers.sync.summary', {
                  added: added.length,
                  removed: removed.length,
                  changed: changed.length,
                }),
                changed.length ? t('servers.sync.changedHint') : '',
              ].join(' '),
        })
      },
      onError: (error) => toastError(error, t('servers.sync.failed', { name })),
    })

  const setEnabled = (enabled: boolean) =>
    update.mutate(
      { id, changes: { enabled, validate: true } },
      {
        onSuccess: () =>
          toast.success(
            t(enabled ? 'servers.card.enabledOn' : 'servers.card.enabledOff', { name }),
          ),
        onError: (error) => toastError(error),
      },
    )

  /** While a switch is in flight, show where it is going rather than where it was. */
  const enabled = update.isPending
    ? (update.variables?.changes.enabled ?? server.enabled)
    : server.enabled

  return { test, sync, runTest, runSync, setEnabled, enabled, togglePending: update.isPending }
}
