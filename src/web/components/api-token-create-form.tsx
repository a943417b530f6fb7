import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import { type ApiTokenCreated, ApiTokenCreateSchema } from '../../shared/auth.ts'
import { useCreateToken } from '../api/tokens.ts'
import { focusFirstIssue, useFieldErrors } from '../hooks/use-field-errors.ts'
import { ErrorAlert } from './error-alert.tsx'
import { TextField } from './text-field.tsx'
import { Button } from './ui/button.tsx'

/** Names and creates a token; the reply, with its one-time secret, goes to `onCreated`. */
export function ApiTokenCreateForm({
  onCreated,
}: {
  onCreated: (created: ApiTokenCreated) => void
}) {
  const { t } = useTranslation()
  const createToken = useCreateToken()
  const [issues, setIssues] = useState<z.core.$ZodIssue[]>([])
  const fieldErrors = useFieldErrors(issues, createToken.error)

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const parsed = ApiTokenCreateSchema.safeParse({ name: new FormData(form).get('name') })
    setIssues(parsed.error?.issues ?? [])
    if (!parsed.success) return focusFirstIssue(form, parsed.error.issues)
    createToken.mutate(parsed.data, {
      onSuccess: (created) => {
        form.reset()
        // The secret now lives only in the dialog's state; drop the mutation's copy of it.
        createToken.reset()
        onCreated(created)
      },
    })
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <TextField
          className="flex flex-1 flex-col gap-2"
          label={t('settings.tokens.nameLabel')}
          name="name"
          autoComplete="off"
          maxLength={100}
          required
          hint={t('settings.tokens.nameHint')}
          error={fieldErrors.name}
        />
        <Button type="submit" pending={createToken.isPending} className="sm:mt-6">
          {t('settings.tokens.create')}
        </Button>
      </div>
      <ErrorAlert error={createToken.error} />
    </form>
  )
}
