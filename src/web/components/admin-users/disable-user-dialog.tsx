import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorAlert } from '../error-alert.tsx'
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
} from '../ui/alert-dialog.tsx'
import { Button } from '../ui/button.tsx'
import { DialogFooter } from '../ui/dialog.tsx'
import { Input } from '../ui/input.tsx'
import { Label } from '../ui/label.tsx'

/** Asks before disabling, saying what happens, with an optional reason for the activity log. */
export function DisableUserDialog({
  email,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  email: string | null
  pending: boolean
  error: unknown
  onConfirm: (reason: string) => void
  onClose: () => void
}) {
  const { t } = useTranslation()
  const reasonId = useId()
  const [reason, setReason] = useState('')
  return (
    <AlertDialog
      open={email !== null}
      onOpenChange={(next) => {
        if (next) return
        setReason('')
        onClose()
      }}
    >
      <AlertDialogContent>
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault()
            onConfirm(reason.trim())
          }}
        >
          <div className="flex flex-col gap-2">
            <AlertDialogTitle>{t('adminUsers.disable.title', { email })}</AlertDialogTitle>
            <AlertDialogDescription>{t('adminUsers.disable.body')}</AlertDialogDescription>
          </div>
          <div className="flex flex-col gap-2">
            <Label htmlFor={reasonId}>{t('adminUsers.disable.reason')}</Label>
            <Input
              id={reasonId}
              value={reason}
              maxLength={200}
              onChange={(event) => setReason(event.target.value)}
            />
          </div>
          <ErrorAlert error={error} />
          <DialogFooter>
            <AlertDialogCancel asChild>
              <Button type="button" variant="outline">
                {t('common.cancel')}
              </Button>
            </AlertDialogCancel>
            <Button type="submit" variant="destructive" pending={pending}>
              {t('adminUsers.disable.confirm')}
            </Button>
          </DialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  )
}
