import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { ApiTokenView } from '../../shared/auth.ts'
import { useRevokeToken } from '../api/tokens.ts'
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

/** Asks before revoking `token`; stays open until the server confirms, so errors show here. */
export function RevokeTokenDialog({
  token,
  onClose,
}: {
  token: ApiTokenView | null
  onClose: () => void
}) {
  const { t } = useTranslation()
  const revoke = useRevokeToken()

  const close = () => {
    revoke.reset()
    onClose()
  }
  const onConfirm = () => {
    if (!token) return
    revoke.mutate(token.id, {
      onSuccess: () => {
        toast.success(t('settings.tokens.revoked', { name: token.name }))
        close()
      },
    })
  }

  return (
    <AlertDialog open={token !== null} onOpenChange={(open) => !open && close()}>
      <AlertDialogContent>
        <div className="flex flex-col gap-2">
          <AlertDialogTitle>
            {t('settings.tokens.revokeTitle', { name: token?.name ?? '' })}
          </AlertDialogTitle>
          <AlertDialogDescription>{t('settings.tokens.revokeBody')}</AlertDialogDescription>
        </div>
        <ErrorAlert error={revoke.error} />
        <DialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="outline">{t('common.cancel')}</Button>
          </AlertDialogCancel>
          <Button variant="destructive" pending={revoke.isPending} onClick={onConfirm}>
            {t('settings.tokens.revoke')}
          </Button>
        </DialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  )
}
