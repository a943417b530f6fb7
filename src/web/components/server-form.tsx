import { CircleAlert, Info, Loader2 } from 'lucide-react'
import { type FormEvent, useId, useRef, useState } from 'react'
import { flushSync } from 'react-dom'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { z } from 'zod'
import {
  McpServerCreateSchema,
  McpServerUpdateSchema,
  type McpServerView,
  SERVER_NAME_MAX,
  USER_TRANSPORTS,
} from '../../shared/mcp-servers.ts'
import { ApiError } from '../api/client.ts'
import { useCreateServer, useUpdateServer } from '../api/mcp-servers.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { type FieldErrors, focusFirstIssue, useFieldErrors } from '../hooks/use-field-errors.ts'
import { ErrorAlert } from './error-alert.tsx'
import { ServerAuthFields } from './server-auth-fields.tsx'
import {
  emptyServerValues,
  keptAuth,
  missingSecretIssues,
  type ServerFormValues,
  serverToValues,
  toCreateInput,
  toUpdateInput,
} from './server-form-values.ts'
import { TextField } from './text-field.tsx'
import { Alert } from './ui/alert.tsx'
import { Button } from './ui/button.tsx'
import { DialogClose, DialogFooter } from './ui/dialog.tsx'
import { FieldError } from './ui/field-error.tsx'
import { Label } from './ui/label.tsx'
import { Select } from './ui/select.tsx'
import { Textarea } from './ui/textarea.tsx'

/** The answers that mean "the server was asked and the check failed", not "the form is wrong". */
const CHECK_FAILED = new Set(['upstream_rejected', 'upstream_failed', 'upstream_timeout'])

export interface ServerFormProps {
  /** The server to edit; `null` adds a new one. */
  server: McpServerView | null
  onDone: (server: McpServerView) => void
}

/**
 * Adds or edits a server. The server checks the connection before it saves, which can take
 * seconds: the form stays put, says what is happening, and on a failed check shows why next to
 * the field at fault and offers to save anyway.
 */
export function ServerForm({ server, onDone }: ServerFormProps) {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  const id = useId()
  const formRef = useRef<HTMLFormElement>(null)
  const create = useCreateServer()
  const update = useUpdateServer()
  const mutation = server ? update : create
  const [values, setValues] = useState<ServerFormValues>(() =>
    server ? serverToValues(server) : emptyServerValues(),
  )
  const [issues, setIssues] = useState<z.core.$ZodIssue[]>([])
  const fieldErrors = useServerFieldErrors(issues, mutation.error, values)
  const [advancedOpen, setAdvancedOpen] = useState(
    () => values.connectSeconds !== '' || values.requestSeconds !== '',
  )

  const change = (changes: Partial<ServerFormValues>) =>
    setValues((current) => ({ ...current, ...changes }))

  const checkFailed = mutation.error instanceof ApiError && CHECK_FAILED.has(mutation.error.code)

  const onSaved = (saved: McpServerView) => {
    if (server) toast.success(t('servers.form.saved', { name: saved.name }))
    else if (saved.status === 'online')
      toast.success(t('servers.form.added', { name: saved.name, count: saved.toolCount }))
    else toast.warning(t('servers.form.addedUnchecked', { name: saved.name }))
    onDone(saved)
  }

  // Server errors name a field (the URL for "connection refused", auth for a 401): go there.
  const focusServerError = (error: unknown) => {
    const form = formRef.current
    if (!form || !(error instanceof ApiError)) return
    const field = Object.keys(error.fieldErrors(t))[0]
    if (!field) return
    // `auth` is a group: its first text input (the token), else its chosen radio.
    const group = `[data-field="${field}"]`
    const target =
      form.elements.namedItem(field) ??
      form.querySelector(`${group} input:not([aria-hidden])`) ??
      form.querySelector(`${group} [role=radio][data-state=checked]`)
    if (target instanceof HTMLElement) target.focus()
  }

  // Rendered at once, with the timeouts unfolded if one is wrong, so focus can move to it.
  const showIssues = (next: z.core.$ZodIssue[]) =>
    flushSync(() => {
      setIssues(next)
      if (next.some((issue) => issue.path[0] === 'timeouts')) setAdvancedOpen(true)
    })

  const submit = (validate: boolean) => {
    const form = formRef.current
    if (!form) return
    const secretIssues = missingSecretIssues(values, keptAuth(values, server))
    if (server) {
      const changes = toUpdateInput(values, server)
      if (Object.keys(changes).length === 0) {
        toast.info(t('servers.form.nothingChanged'))
        return onDone(server)
      }
      const parsed = McpServerUpdateSchema.safeParse({ ...changes, validate })
      const all = [...(parsed.error?.issues ?? []), ...secretIssues]
      showIssues(all)
      if (!parsed.success || all.length) return focusFirstIssue(form, all)
      update.mutate(
        { id: server.id, changes: parsed.data },
        { onSuccess: onSaved, onError: focusServerError },
      )
    } else {
      const parsed = McpServerCreateSchema.safeParse({ ...toCreateInput(values), validate })
      const all = [...(parsed.error?.issues ?? []), ...secretIssues]
      showIssues(all)
      if (!parsed.success || all.length) return focusFirstIssue(form, all)
      create.mutate(parsed.data, { onSuccess: onSaved, onError: focusServerError })
    }
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    submit(true)
  }

  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      noValidate
      className="flex flex-col gap-4"
      aria-busy={mutation.isPending || undefined}
    >
      <TextField
        label={t('servers.form.name')}
        name="name"
        autoComplete="off"
        maxLength={SERVER_NAME_MAX}
        required
        value={values.name}
        onChange={(event) => change({ name: event.target.value })}
        hint={t('servers.form.nameHint')}
        error={fieldErrors.name}
      />
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-description`}>
          {t('servers.form.description')}
          <span className="ml-1 font-normal text-muted-foreground" aria-hidden="true">
            ({t('common.optional')})
          </span>
        </Label>
        <Textarea
          id={`${id}-description`}
          name="description"
          rows={2}
          maxLength={500}
          value={values.description}
          onChange={(event) => change({ description: event.target.value })}
          aria-invalid={fieldErrors.description ? true : undefined}
          aria-describedby={fieldErrors.description ? `${id}-description-error` : undefined}
        />
        <FieldError id={`${id}-description-error`}>{fieldErrors.description}</FieldError>
      </div>
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-transport`}>{t('servers.form.transport')}</Label>
        <Select
          id={`${id}-transport`}
          name="transport"
          value={values.transport}
          onChange={(event) => {
            const transport = USER_TRANSPORTS.find((tr) => tr === event.target.value)
            if (transport) change({ transport })
          }}
          aria-describedby={`${id}-transport-hint`}
          aria-invalid={fieldErrors.transport ? true : undefined}
        >
          {USER_TRANSPORTS.map((transport) => (
            <option key={transport} value={transport}>
              {t(`servers.transports.${transport}`)}
            </option>
          ))}
        </Select>
        <p id={`${id}-transport-hint`} className="text-sm text-muted-foreground">
          {t(`servers.form.transportHints.${values.transport}`)}
        </p>
        <FieldError>{fieldErrors.transport}</FieldError>
      </div>
      <TextField
        label={t('servers.form.url')}
        name="url"
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        required
        className="flex flex-col gap-2 [&_input]:font-mono"
        placeholder={t(`servers.form.urlPlaceholders.${values.transport}`)}
        value={values.url}
        onChange={(event) => change({ url: event.target.value })}
        error={fieldErrors.url}
      />
      {server?.auth.secretSet && !keptAuth(values, server)?.secretSet && (
        <Alert role="status">
          <Info aria-hidden="true" />
          <p>{t('servers.form.secretsStayBehind')}</p>
        </Alert>
      )}
      <ServerAuthFields
        values={values}
        onChange={change}
        stored={keptAuth(values, server)}
        errors={fieldErrors}
      />
      <details
        open={advancedOpen}
        onToggle={(event) => setAdvancedOpen(event.currentTarget.open)}
        className="rounded-md border px-3 py-2 [&[open]>summary]:mb-3"
      >
        <summary className="cursor-pointer rounded-sm text-sm font-medium">
          {t('servers.form.advanced')}
        </summary>
        <div className="flex flex-col gap-3">
          <p className="text-sm text-muted-foreground">{t('servers.form.advancedHint')}</p>
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField
              label={t('servers.form.connectTimeout')}
              name="timeouts.connectMs"
              type="number"
              inputMode="decimal"
              min={0.5}
              max={120}
              step={0.5}
              value={values.connectSeconds}
              onChange={(event) => change({ connectSeconds: event.target.value })}
              error={fieldErrors['timeouts.connectMs']}
            />
            <TextField
              label={t('servers.form.requestTimeout')}
              name="timeouts.requestMs"
              type="number"
              inputMode="decimal"
              min={1}
              max={3600}
              step={1}
              value={values.requestSeconds}
              onChange={(event) => change({ requestSeconds: event.target.value })}
              error={fieldErrors['timeouts.requestMs']}
            />
          </div>
        </div>
      </details>

      {mutation.isPending && (
        <Alert role="status">
          <Loader2 className="animate-spin" aria-hidden="true" />
          <p>{t('servers.form.checking')}</p>
        </Alert>
      )}
      {checkFailed && !mutation.isPending ? (
        <Alert variant="destructive" role="alert" className="flex-col sm:flex-row sm:items-start">
          <CircleAlert aria-hidden="true" />
          <div className="flex flex-1 flex-col gap-1">
            <p className="font-medium">{t('servers.form.checkFailedTitle')}</p>
            <p className="text-muted-foreground">
              {errorMessage(mutation.error)} {t('servers.form.checkFailedBody')}
            </p>
          </div>
          <Button variant="outline" size="sm" onClick={() => submit(false)}>
            {t('servers.form.saveAnyway')}
          </Button>
        </Alert>
      ) : (
        !mutation.isPending && <ErrorAlert error={mutation.error} />
      )}

      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">{t('common.cancel')}</Button>
        </DialogClose>
        <Button type="submit" pending={mutation.isPending}>
          {server ? t('servers.form.submitEdit') : t('servers.form.submitAdd')}
        </Button>
      </DialogFooter>
    </form>
  )
}

/**
 * Field errors as `useFieldErrors` gives them, with clearer words where the generic ones fall
 * short: timeouts are typed in seconds but checked in milliseconds, and a URL of the wrong scheme
 * should say which scheme the transport needs.
 */
function useServerFieldErrors(
  issues: readonly z.core.$ZodIssue[],
  serverError: unknown,
  values: ServerFormValues,
): FieldErrors {
  const { t } = useTranslation()
  const errors = useFieldErrors(issues, serverError)
  if (errors['timeouts.connectMs']) {
    errors['timeouts.connectMs'] = t('servers.form.connectTimeoutRange')
  }
  if (errors['timeouts.requestMs']) {
    errors['timeouts.requestMs'] = t('servers.form.requestTimeoutRange')
  }
  if (issues.some((issue) => issue.code === 'custom' && issue.path.join('.') === 'url')) {
    const url = values.url.trim()
    errors.url =
      url === ''
        ? t('validation.required')
        : URL.canParse(url)
          ? t(`servers.form.urlSchemes.${values.transport}`)
          : t('servers.form.urlInvalid', {
              example: t(`servers.form.urlPlaceholders.${values.transport}`),
            })
  }
  for (const issue of issues) {
    const [first, , index, field] = issue.path
    const typed = values.headers[Number(index)]?.name.trim()
    if (first === 'auth' && field === 'name' && issue.code === 'invalid_format' && typed) {
      errors[`auth.headers.${String(index)}.name`] = t('servers.form.headerNameInvalid')
    }
  }
  return errors
}
