import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import { InvitationCreateSchema } from '../../../shared/admin-users.ts'
import { useCreateInvitation } from '../../api/admin-users.ts'
import { focusFirstIssue, useFieldErrors } from '../../hooks/use-field-errors.ts'
import { useFormatDateTime } from '../../hooks/use-format-date-time.ts'
import { ErrorAlert } from '../error-alert.tsx'
import { TextField } from '../text-field.tsx'
import { Button } from '../ui/button.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '../ui/dialog.tsx'
import type { ShownLink } from './link-dialog.tsx'
import { RoleSelect } from './role-select.tsx'

/** Asks for the email (and role) to invite; the link it makes is handed to `onCreated`. */
export function InviteDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean
  onClose: () => void
  onCreated: (link: ShownLink) => void
}) {
  const { t } = useTranslation()
  const formatDateTime = useFormatDateTime()
  const invite = useCreateInvitation()
  const [issues, setIssues] = useState<z.core.$ZodIssue[]>([])
  const fieldErrors = useFieldErrors(issues, invite.error)

  const close = () => {
    invite.reset()
    setIssues([])
    onClose()
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const values = new FormData(form)
    const parsed = InvitationCreateSchema.safeParse({
      email: values.get('email'),
      role: values.get('role'),
    })
    setIssues(parsed.error?.issues ?? [])
    if (!parsed.success) return focusFirstIssue(form, parsed.error.issues)
    invite.mutate(parsed.data, {
      onSuccess: (created) => {
        close()
        onCreated({
          title: t('adminUsers.invite.linkTitle'),
          description: t('adminUsers.invite.linkDescription', {
            email: created.invitation.email,
            date: formatDateTime(created.link.expiresAt),
          }),
          url: created.link.url,
        })
      },
    })
  }

  return (
    <Dialog open={open} onOpenChange={(next) => !next && close()}>
      <DialogContent closeLabel={t('common.close')}>
        <DialogHeader>
          <DialogTitle>{t('adminUsers.invite.title')}</DialogTitle>
          <DialogDescription>{t('adminUsers.invite.description')}</DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
          <TextField
            label={t('adminUsers.invite.email')}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="off"
            required
            error={fieldErrors.email}
          />
          <RoleSelect label={t('adminUsers.invite.role')} />
          <ErrorAlert error={invite.error} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" pending={invite.isPending}>
              {t('adminUsers.invite.submit')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
