import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { ApiTokenView } from '../../shared/auth.ts'
import { useRevokeToken } from '../api/tokens.ts'
import { ConfirmDialog } from './confirm-dialog.tsx'

/** Asks before revoking `token`. */
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
  return (
    <ConfirmDialog
      open={token !== null}
      title={t('settings.tokens.revokeTitle', { name: token?.name ?? '' })}
      body={t('settings.tokens.revokeBody')}
      confirmLabel={t('settings.tokens.revoke')}
      pending={revoke.isPending}
      error={revoke.error}
      onClose={close}
      onConfirm={() => {
        if (!token) return
        revoke.mutate(token.id, {
          onSuccess: () => {
            toast.success(t('settings.tokens.revoked', { name: token.name }))
            close()
          },
        })
      }}
    />
  )
}
