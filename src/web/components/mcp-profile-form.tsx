import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import {
  type McpProfile,
  McpProfileCreateSchema,
  TOOL_MODES,
  type ToolMode,
} from '../../shared/mcp-profiles.ts'
import { useCreateProfile, useUpdateProfile } from '../api/mcp-endpoint.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import { focusFirstIssue, useFieldErrors } from '../hooks/use-field-errors.ts'
import { ErrorAlert } from './error-alert.tsx'
import { choiceOf, offerOf, type ProfileChoice, ProfileToolPicker } from './profile-tool-picker.tsx'
import { TextField } from './text-field.tsx'
import { Button } from './ui/button.tsx'

/**
 * Creates a profile, or edits `profile`: its name, how its tools are listed (every tool, or
 * search mode's two), and its servers, each whole or only some of its tools.
 */
export function McpProfileForm({
  profile,
  onDone,
}: {
  profile?: McpProfile | undefined
  onDone?: () => void
}) {
  const { t } = useTranslation()
  const id = useId()
  const servers = useQuery(serverQueries.list())
  const create = useCreateProfile()
  const update = useUpdateProfile()
  const mutation = profile ? update : create
  const [choice, setChoice] = useState<ProfileChoice>(() => (profile ? choiceOf(profile) : {}))
  const [toolMode, setToolMode] = useState<ToolMode>(profile?.toolMode ?? 'all')
  const [ownNames, setOwnNames] = useState(profile?.toolNames === 'plain')
  const [issues, setIssues] = useState<z.core.$ZodIssue[]>([])
  const fieldErrors = useFieldErrors(issues, mutation.error)
  const nameRef = useRef<HTMLInputElement>(null)
  // Opened for editing from the list: the keyboard lands in the form, not back at the top.
  useEffect(() => {
    if (profile) nameRef.current?.focus()
  }, [profile])

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const parsed = McpProfileCreateSchema.safeParse({
      name: new FormData(form).get('name'),
      ...offerOf(choice),
      toolMode,
      toolNames: ownNames ? 'plain' : 'prefixed',
    })
    setIssues(parsed.error?.issues ?? [])
    if (!parsed.success) return focusFirstIssue(form, parsed.error.issues)
    const done = () => {
      form.reset()
      setChoice({})
      setToolMode('all')
      setOwnNames(false)
      onDone?.()
    }
    if (profile) update.mutate({ id: profile.id, ...parsed.data }, { onSuccess: done })
    else create.mutate(parsed.data, { onSuccess: done })
  }

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="flex flex-col gap-3 rounded-md border p-3"
      aria-labelledby={`${id}-title`}
    >
      <h4 id={`${id}-title`} className="text-sm font-semibold">
        {profile
          ? t('settings.profiles.editTitle', { name: profile.name })
          : t('settings.profiles.newTitle')}
      </h4>
      <TextField
        ref={nameRef}
        className="flex flex-col gap-2"
        label={t('settings.profiles.nameLabel')}
        name="name"
        autoComplete="off"
        maxLength={40}
        required
        defaultValue={profile?.name}
        hint={t('settings.profiles.nameHint')}
        error={fieldErrors.name}
      />
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t('settings.profiles.toolMode')}</legend>
        {TOOL_MODES.map((mode) => (
          <div key={mode} className="flex flex-col text-sm">
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="toolMode"
                value={mode}
                className="size-4 accent-primary"
                checked={toolMode === mode}
                onChange={() => setToolMode(mode)}
                aria-describedby={`${id}-${mode}-hint`}
              />
              {t(`settings.profiles.toolModes.${mode}`)}
            </label>
            <p id={`${id}-${mode}-hint`} className="ml-6 text-muted-foreground">
              {t(`settings.profiles.toolModeHints.${mode}`)}
            </p>
          </div>
        ))}
      </fieldset>
      <ProfileToolPicker servers={servers.data ?? []} value={choice} onChange={setChoice} />
      <div className="flex flex-col gap-1">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="size-4 accent-primary"
            checked={ownNames}
            aria-describedby={`${id}-own-names-hint`}
            onChange={(event) => setOwnNames(event.target.checked)}
          />
          {t('settings.profiles.ownNames')}
        </label>
        <p id={`${id}-own-names-hint`} className="text-xs text-muted-foreground">
          {t('settings.profiles.ownNamesHint')}
        </p>
      </div>
      <div className="flex gap-2">
        <Button type="submit" pending={mutation.isPending}>
          {profile ? t('settings.profiles.save') : t('settings.profiles.create')}
        </Button>
        {profile && (
          <Button type="button" variant="outline" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        )}
      </div>
      <ErrorAlert error={mutation.error} />
    </form>
  )
}
