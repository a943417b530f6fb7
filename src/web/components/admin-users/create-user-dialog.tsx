import { type FormEvent, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { z } from 'zod'
import { AdminUserCreateSchema } from '../../../shared/admin-users.ts'
import { PASSWORD_MIN_LENGTH } from '../../../shared/auth.ts'
import { useCreateUser } from '../../api/admin-users.ts'
import { focusFirstIssue, useFieldErrors } from '../../hooks/use-field-errors.ts'
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
import { RoleSelect } from './role-select.tsx'

/** 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I): easy to read out. */
function suggestPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('')
}

/** An account with a temporary password, working at once. */
export function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const create = useCreateUser()
  const [issues, setIssues] = useState<z.core.$ZodIssue[]>([])
  const fieldErrors = useFieldErrors(issues, create.error)
  const passwordRef = useRef<HTMLInputElement>(null)

  const close = () => {
    create.reset()
    setIssues([])
    onClose()
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const values = new FormData(form)
    const name = String(values.get('name') ?? '').trim()
    const parsed = AdminUserCreateSchema.safeParse({
      email: values.get('email'),
      name: name === '' ? undefined : name,
      password: values.get('password'),
      role: values.get('role'),
    })
    setIssues(parsed.error?.issues ?? [])
    if (!parsed.success) return focusFirstIssue(form, parsed.error.issues)
    create.mutate(parsed.data, {
      onSuccess: (user) => {
        toast.success(t('adminUsers.create.created', { email: user.email }))
        close()
      },
    })
  }

  return (
    <Dialog open={open} onOpenChange={(next) => !next && close()}>
      <DialogContent closeLabel={t('common.close')}>
        <DialogHeader>
          <DialogTitle>{t('adminUsers.create.title')}</DialogTitle>
          <DialogDescription>{t('adminUsers.create.description')}</DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
          <TextField
            label={t('adminUsers.create.email')}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="off"
            required
            error={fieldErrors.email}
          />
          <TextField
            label={t('adminUsers.create.name')}
            labelNote={t('common.optional')}
            name="name"
            autoComplete="off"
            maxLength={100}
            error={fieldErrors.name}
          />
          <div className="flex items-end gap-2">
            <TextField
              ref={passwordRef}
              className="flex flex-1 flex-col gap-2"
              label={t('adminUsers.create.password')}
              name="password"
              autoComplete="new-password"
              spellCheck={false}
              minLength={PASSWORD_MIN_LENGTH}
              required
              error={fieldErrors.password}
            />
            <Button
              type="button"
              variant="outline"
              className={fieldErrors.password ? 'mb-7' : undefined}
              onClick={() => {
                if (passwordRef.current) passwordRef.current.value = suggestPassword()
              }}
            >
              {t('adminUsers.create.generate')}
            </Button>
          </div>
          <RoleSelect label={t('adminUsers.create.role')} />
          <ErrorAlert error={create.error} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" pending={create.isPending}>
              {t('adminUsers.create.submit')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
