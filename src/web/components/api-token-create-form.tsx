import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import { type ApiTokenCreated, ApiTokenCreateSchema } from '../../shared/auth.ts'
import { profileQueries } from '../api/mcp-endpoint.ts'
import { useCreateToken } from '../api/tokens.ts'
import { focusFirstIssue, useFieldErrors } from '../hooks/use-field-errors.ts'
import { ErrorAlert } from './error-alert.tsx'
import { TextField } from './text-field.tsx'
import { Button } from './ui/button.tsx'
import { Label } from './ui/label.tsx'
import { Select } from './ui/select.tsx'

/** Names and creates a token; the reply, with its one-time secret, goes to `onCreated`. */
export function ApiTokenCreateForm({
  onCreated,
}: {
  onCreated: (created: ApiTokenCreated) => void
}) {
  const { t } = useTranslation()
  const id = useId()
  const createToken = useCreateToken()
  const profiles = useQuery(profileQueries.list())
  const [issues, setIssues] = useState<z.core.$ZodIssue[]>([])
  const fieldErrors = useFieldErrors(issues, createToken.error)

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const data = new FormData(form)
    const profileId = data.get('profileId')
    const parsed = ApiTokenCreateSchema.safeParse({
      name: data.get('name'),
      ...(profileId ? { profileId } : {}),
    })
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
        {profiles.data && profiles.data.length > 0 && (
          <div className="flex flex-col gap-2">
            <Label htmlFor={`${id}-profile`}>{t('settings.tokens.profileLabel')}</Label>
            <Select
              id={`${id}-profile`}
              name="profileId"
              defaultValue=""
              aria-describedby={`${id}-profile-hint`}
            >
              <option value="">{t('settings.tokens.profileAll')}</option>
              {profiles.data.map((profile) => (
                <option key={profile.id} value={profile.id}>
                  {t('settings.tokens.profileOnly', { name: profile.name })}
                </option>
              ))}
            </Select>
            <p id={`${id}-profile-hint`} className="text-xs text-muted-foreground">
              {t('settings.tokens.profileHint')}
            </p>
          </div>
        )}
        <Button type="submit" pending={createToken.isPending} className="sm:mt-6">
          {t('settings.tokens.create')}
        </Button>
      </div>
      <ErrorAlert error={createToken.error} />
    </form>
  )
}
