import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { McpServerView } from '../../shared/mcp-servers.ts'
import { useDeleteServer } from '../api/mcp-servers.ts'
import { ErrorAlert } from './error-alert.tsx'
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
} from './ui/alert-dialog.tsx'
import { Button } from './ui/button.tsx'
import { DialogFooter } from './ui/dialog.tsx'

/** Asks before deleting `server`; stays open until the server confirms, so errors show here. */
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
  const onConfirm = () => {
    if (!server) return
    remove.mutate(server.id, {
      onSuccess: () => {
        toast.success(t('servers.delete.done', { name: server.name }))
        close()
        onDeleted?.()
      },
    })
  }

  return (
    <AlertDialog open={server !== null} onOpenChange={(open) => !open && close()}>
      <AlertDialogContent>
        <div className="flex flex-col gap-2">
          <AlertDialogTitle>
            {t('servers.delete.title', { name: server?.name ?? '' })}
          </AlertDialogTitle>
          <AlertDialogDescription>{t('servers.delete.body')}</AlertDialogDescription>
        </div>
        <ErrorAlert error={remove.error} />
        <DialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="outline">{t('common.cancel')}</Button>
          </AlertDialogCancel>
          <Button variant="destructive" pending={remove.isPending} onClick={onConfirm}>
            {t('servers.delete.confirm')}
          </Button>
        </DialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  )
}
