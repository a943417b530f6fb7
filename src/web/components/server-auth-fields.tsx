import { Info, Plus, Trash2 } from 'lucide-react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { McpAuthView } from '../../shared/mcp-servers.ts'
import type { FieldErrors } from '../hooks/use-field-errors.ts'
import {
  type AuthType,
  type HeaderRow,
  headerValueStored,
  newHeaderRow,
  type ServerFormValues,
} from './server-form-values.ts'
import { TextField } from './text-field.tsx'
import { Alert } from './ui/alert.tsx'
import { Button } from './ui/button.tsx'
import { FieldError } from './ui/field-error.tsx'
import { Input } from './ui/input.tsx'
import { Label } from './ui/label.tsx'
import { RadioGroup, RadioGroupItem } from './ui/radio-group.tsx'

const AUTH_TYPES = ['none', 'bearer', 'headers', 'oauth'] as const satisfies readonly AuthType[]
const MAX_HEADERS = 32

type AuthValues = Pick<ServerFormValues, 'authType' | 'token' | 'headers' | 'scope'>

export interface ServerAuthFieldsProps {
  values: AuthValues
  onChange: (changes: Partial<AuthValues>) => void
  /** What is stored now (editing), so empty secret fields can say they keep it. */
  stored: McpAuthView | null
  errors: FieldErrors
}

/** How Switchboard signs in to the server: the kind, then that kind's fields. */
export function ServerAuthFields({ values, onChange, stored, errors }: ServerAuthFieldsProps) {
  const { t } = useTranslation()
  const id = useId()
  const tokenStored = stored?.type === 'bearer' && stored.secretSet
  return (
    <fieldset className="flex flex-col gap-3" data-field="auth">
      <legend id={`${id}-legend`} className="mb-2 text-sm leading-none font-medium">
        {t('servers.form.authType')}
      </legend>
      <RadioGroup
        value={values.authType}
        onValueChange={(value) => {
          const authType = AUTH_TYPES.find((type) => type === value)
          if (authType) onChange({ authType })
        }}
        aria-labelledby={`${id}-legend`}
        aria-describedby={`${id}-hint`}
        className="grid-cols-2 sm:grid-cols-4"
      >
        {AUTH_TYPES.map((type) => (
          <Label
            key={type}
            htmlFor={`${id}-${type}`}
            className="flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2.5 font-normal has-[[data-state=checked]]:border-primary has-[[data-state=checked]]:bg-accent"
          >
            <RadioGroupItem id={`${id}-${type}`} value={type} />
            {t(`servers.authTypes.${type}`)}
          </Label>
        ))}
      </RadioGroup>
      <p id={`${id}-hint`} className="text-sm text-muted-foreground">
        {t(`servers.form.authHints.${values.authType}`)}
      </p>
      {/* A rejected token belongs under the token field; anything else under the choice. */}
      {values.authType !== 'bearer' && <FieldError>{errors.auth}</FieldError>}

      {values.authType === 'bearer' && (
        <TextField
          label={t('servers.form.token')}
          name="auth.token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={values.token}
          onChange={(event) => onChange({ token: event.target.value })}
          placeholder={tokenStored ? t('servers.form.secretSet') : undefined}
          error={errors['auth.token'] ?? errors.auth}
        />
      )}

      {values.authType === 'headers' && (
        <HeaderRows
          rows={values.headers}
          onChange={(headers) => onChange({ headers })}
          stored={stored}
          errors={errors}
        />
      )}

      {values.authType === 'oauth' && (
        <>
          <TextField
            label={t('servers.form.scope')}
            labelNote={t('common.optional')}
            name="auth.scope"
            autoComplete="off"
            spellCheck={false}
            value={values.scope}
            onChange={(event) => onChange({ scope: event.target.value })}
            hint={t('servers.form.scopeHint')}
            error={errors['auth.scope']}
          />
          <Alert>
            <Info aria-hidden="true" />
            <p>{t('servers.form.oauthSoon')}</p>
          </Alert>
        </>
      )}
    </fieldset>
  )
}

function HeaderRows({
  rows,
  onChange,
  stored,
  errors,
}: {
  rows: HeaderRow[]
  onChange: (rows: HeaderRow[]) => void
  stored: McpAuthView | null
  errors: FieldErrors
}) {
  const { t } = useTranslation()
  const id = useId()
  const update = (key: number, changes: Partial<HeaderRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...changes } : row)))

  return (
    <div className="flex flex-col gap-2">
      <div
        className="grid grid-cols-[1fr_1fr_2.25rem] gap-2 text-sm font-medium"
        aria-hidden="true"
      >
        <span>{t('servers.form.headerName')}</span>
        <span>{t('servers.form.headerValue')}</span>
      </div>
      <ul className="flex flex-col gap-2">
        {rows.map((row, index) => {
          const n = index + 1
          const nameError = errors[`auth.headers.${index}.name`]
          const valueError = errors[`auth.headers.${index}.value`]
          const errorId = `${id}-${row.key}-error`
          return (
            <li key={row.key} className="flex flex-col gap-1">
              <div className="grid grid-cols-[1fr_1fr_2.25rem] gap-2">
                <Input
                  name={`auth.headers.${index}.name`}
                  aria-label={t('servers.form.headerNameRow', { n })}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={t('servers.form.headerNamePlaceholder')}
                  value={row.name}
                  onChange={(event) => update(row.key, { name: event.target.value })}
                  aria-invalid={nameError ? true : undefined}
                  aria-describedby={nameError ? errorId : undefined}
                  className="font-mono"
                />
                <Input
                  name={`auth.headers.${index}.value`}
                  type="password"
                  aria-label={t('servers.form.headerValueRow', { n })}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={
                    headerValueStored(row.name, stored) ? t('servers.form.secretSet') : undefined
                  }
                  value={row.value}
                  onChange={(event) => update(row.key, { value: event.target.value })}
                  aria-invalid={valueError ? true : undefined}
                  aria-describedby={valueError ? errorId : undefined}
                />
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={t('servers.form.removeHeader', { n })}
                  disabled={rows.length === 1}
                  onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                >
                  <Trash2 aria-hidden="true" />
                </Button>
              </div>
              <FieldError id={errorId}>{nameError ?? valueError}</FieldError>
            </li>
          )
        })}
      </ul>
      <FieldError>{errors['auth.headers']}</FieldError>
      <Button
        variant="outline"
        size="sm"
        className="self-start"
        disabled={rows.length >= MAX_HEADERS}
        onClick={() => onChange([...rows, newHeaderRow()])}
      >
        <Plus aria-hidden="true" />
        {t('servers.form.addHeader')}
      </Button>
    </div>
  )
}
