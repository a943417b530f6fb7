import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { McpServerView } from '../../shared/mcp-servers.ts'
import { useDeleteServer } from '../api/mcp-servers.ts'
import { ConfirmDialog } from './confirm-dialog.tsx'

/** Asks before deleting `server`. */
export function DeleteServerDialog({
  server,
  onClose,
  onDeleted,
}: {
  server: McpServerView | null
  onClose: () => void
  onDeleted?: () => void
}) {
  const { t } = useTranslation()
  const remove = useDeleteServer()
  const close = () => {
    remove.reset()
    onClose()
  }
  return (
    <ConfirmDialog
      open={server !== null}
      title={t('servers.delete.title', { name: server?.name ?? '' })}
      body={t('servers.delete.body')}
      confirmLabel={t('servers.delete.confirm')}
      pending={remove.isPending}
      error={remove.error}
      onClose={close}
      onConfirm={() => {
        if (!server) return
        remove.mutate(server.id, {
          onSuccess: () => {
            toast.success(t('servers.delete.done', { name: server.name }))
            close()
            onDeleted?.()
          },
        })
      }}
    />
  )
}
