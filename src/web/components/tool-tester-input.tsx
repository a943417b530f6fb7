import { Braces, ListChecks } from 'lucide-react'
import { type ReactNode, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatJson, JsonEditor, type JsonParse, parseJsonText } from './json-editor.tsx'
import { SchemaForm } from './schema-form.tsx'
import {
  type FieldPath,
  type JsonObject,
  type ObjectNode,
  setAt,
  unplacedErrors,
} from './schema-form-model.ts'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'
import { FieldError } from './ui/field-error.tsx'

export type InputMode = 'form' | 'json'

export interface TesterInput {
  mode: InputMode
  value: JsonObject
  jsonText: string
  parsed: JsonParse
  /** Set when the user tried to leave the JSON editor with text that does not parse. */
  blockedSwitch: boolean
  setField: (path: FieldPath, next: unknown) => void
  editJson: (text: string) => void
  switchTo: (mode: InputMode) => void
  reset: () => void
  /** The arguments to send, or null while the JSON editor holds something that is not an object. */
  args: JsonObject | null
}

/**
 * The tester's input, as a form and as JSON text kept in step: every form edit is the JSON, and
 * JSON that parses to an object is the form. Text that does not parse stays in the editor only.
 */
export function useTesterInput(form: ObjectNode | null, initial: JsonObject): TesterInput {
  const [mode, setMode] = useState<InputMode>(form ? 'form' : 'json')
  const [value, setValue] = useState(initial)
  const [jsonText, setJsonText] = useState(() => formatJson(initial))
  const [blockedSwitch, setBlockedSwitch] = useState(false)
  const parsed = parseJsonText(jsonText, { object: true })
  const asObject = (result: JsonParse) => (result.ok ? (result.value as JsonObject) : null)
  return {
    mode,
    value,
    jsonText,
    parsed,
    blockedSwitch: blockedSwitch && !parsed.ok,
    setField: (path, next) => setValue((current) => setAt(current, path, next)),
    editJson: (text) => {
      setJsonText(text)
      const next = asObject(parseJsonText(text, { object: true }))
      if (next) setValue(next)
    },
    switchTo: (next) => {
      if (next === mode) return
      if (next === 'json') {
        setJsonText(formatJson(value))
        setMode('json')
      } else if (parsed.ok && form) {
        setMode('form')
      } else {
        setBlockedSwitch(true)
      }
    },
    reset: () => {
      setValue(initial)
      setJsonText(formatJson(initial))
    },
    args: mode === 'json' ? asObject(parsed) : value,
  }
}

export interface ToolTesterInputProps {
  input: TesterInput
  form: ObjectNode | null
  /** The server's messages on fields of the last run, by normalized path. */
  errors: Record<string, string>
  jsonEditorId: string
}

/** The form (or the JSON editor) for a tool's arguments, with the switch between the two. */
export function ToolTesterInput({ input, form, errors, jsonEditorId }: ToolTesterInputProps) {
  const { t } = useTranslation()
  const unplaced =
    input.mode === 'form' && form ? unplacedErrors(form, errors) : Object.entries(errors)
  const jsonError = !input.parsed.ok
    ? input.parsed.reason === 'syntax'
      ? t('tester.json.syntax', { detail: input.parsed.detail })
      : t('tester.json.notObject')
    : undefined
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-2">
        <fieldset className="inline-flex self-start rounded-md border p-0.5">
          <legend className="sr-only">{t('tester.mode.label')}</legend>
          <ModeButton
            active={input.mode === 'form'}
            disabled={!form}
            onClick={() => input.switchTo('form')}
          >
            <ListChecks aria-hidden="true" />
            {t('tester.mode.form')}
          </ModeButton>
          <ModeButton active={input.mode === 'json'} onClick={() => input.switchTo('json')}>
            <Braces aria-hidden="true" />
            {t('tester.mode.json')}
          </ModeButton>
        </fieldset>
        {!form && <p className="text-sm text-muted-foreground">{t('tester.mode.noForm')}</p>}
        {input.blockedSwitch && (
          <p role="alert" className="text-sm text-destructive">
            {t('tester.mode.fixJsonFirst')}
          </p>
        )}
      </div>

      {input.mode === 'form' && form ? (
        <SchemaForm node={form} value={input.value} onChange={input.setField} errors={errors} />
      ) : (
        <JsonEditor
          id={jsonEditorId}
          label={t('tester.json.label')}
          hint={t('tester.json.hint')}
          text={input.jsonText}
          onTextChange={input.editJson}
          error={jsonError}
          rows={12}
        />
      )}

      {unplaced.length > 0 && (
        <ul className="flex flex-col gap-1" aria-label={t('tester.otherErrors')}>
          {unplaced.map(([field, message]) => (
            <li key={field}>
              <FieldError>
                {field ? <span className="font-mono">{field}: </span> : null}
                {message}
              </FieldError>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

function ModeButton({
  active,
  disabled,
  onClick,
  children,
}: {
  active: boolean
  disabled?: boolean
  onClick: () => void
  children: ReactNode
}) {
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-pressed={active}
      disabled={disabled}
      onClick={onClick}
      className={cn(active && 'bg-accent text-accent-foreground')}
    >
      {children}
    </Button>
  )
}
