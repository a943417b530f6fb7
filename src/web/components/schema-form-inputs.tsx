import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnumNode, PrimitiveNode } from './schema-form-model.ts'
import { Input } from './ui/input.tsx'
import { Select } from './ui/select.tsx'
import { Switch } from './ui/switch.tsx'

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

/** Input types that produce exactly the string the JSON Schema format asks for. */
const INPUT_TYPES: Partial<Record<string, string>> = {
  email: 'email',
  uri: 'url',
  url: 'url',
  date: 'date',
}
const PLACEHOLDERS: Partial<Record<string, string>> = {
  'date-time': '2025-01-31T12:00:00Z',
  time: '12:00:00Z',
  uuid: '00000000-0000-0000-0000-000000000000',
  email: 'name@example.com',
  uri: 'https://',
  url: 'https://',
}

/**
 * Text typed into a field, kept while it still means the field's value ("1." while typing 1.5),
 * and replaced when the value changes from outside (the JSON editor, a reset).
 */
export function useDraft(
  value: unknown,
  format: (value: unknown) => string,
  means: (text: string, value: unknown) => boolean,
): [string, (text: string) => void] {
  const [text, setText] = useState(() => format(value))
  const [seen, setSeen] = useState(value)
  if (!Object.is(seen, value)) {
    setSeen(value)
    if (!means(text, value)) setText(format(value))
  }
  return [text, setText]
}

/** What typed text sends: a number when it reads as one, else the text (the server says why). */
export function parseNumberText(text: string): unknown {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  return NUMBER.test(trimmed) ? Number(trimmed) : trimmed
}

const formatPlain = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'string'
      ? value
      : JSON.stringify(value)

/** A client-side note on a number field's text, before the server is asked. */
export function numberProblem(value: unknown, integer: boolean): 'number' | 'integer' | null {
  if (value === undefined) return null
  if (typeof value !== 'number') return 'number'
  return integer && !Number.isInteger(value) ? 'integer' : null
}

export interface PrimitiveInputProps {
  id: string
  node: PrimitiveNode
  value: unknown
  onChange: (next: unknown) => void
  describedBy?: string
  invalid: boolean
  required: boolean
  disabled: boolean
  /** Names the control when no `<label>` does (list rows). */
  ariaLabel?: string
  /** What an emptied text field sends: nothing (a field), or "" (a list row, which exists). */
  emptyAsNothing?: boolean
}

/** One value of a primitive schema: text, number, switch or choice. */
export function PrimitiveInput(props: PrimitiveInputProps) {
  switch (props.node.kind) {
    case 'number':
      return <NumberInput {...props} />
    case 'boolean':
      return (
        <Switch
          id={props.id}
          checked={props.value === true}
          disabled={props.disabled}
          aria-label={props.ariaLabel}
          aria-describedby={props.describedBy}
          aria-invalid={props.invalid || undefined}
          onCheckedChange={(checked) => props.onChange(checked)}
        />
      )
    case 'enum':
      return <EnumSelect {...props} node={props.node} />
    case 'string':
      return <StringInput {...props} format={props.node.format} />
  }
}

function common(props: PrimitiveInputProps) {
  return {
    id: props.id,
    disabled: props.disabled,
    'aria-label': props.ariaLabel,
    'aria-describedby': props.describedBy,
    'aria-invalid': props.invalid || undefined,
    'aria-required': props.required || undefined,
  }
}

function StringInput(props: PrimitiveInputProps & { format: string | undefined }) {
  const { format, value, onChange, emptyAsNothing = true } = props
  const type = (format && INPUT_TYPES[format]) ?? 'text'
  return (
    <Input
      {...common(props)}
      type={type}
      value={formatPlain(value)}
      placeholder={format ? PLACEHOLDERS[format] : undefined}
      autoComplete="off"
      onChange={(event) => {
        const text = event.target.value
        onChange(text === '' && emptyAsNothing ? undefined : text)
      }}
    />
  )
}

function NumberInput(props: PrimitiveInputProps) {
  const { value, onChange, node } = props
  const integer = node.kind === 'number' && node.integer
  const [text, setText] = useDraft(value, formatPlain, (typed, current) =>
    Object.is(parseNumberText(typed), current),
  )
  return (
    <Input
      {...common(props)}
      type="text"
      inputMode={integer ? 'numeric' : 'decimal'}
      value={text}
      autoComplete="off"
      onChange={(event) => {
        setText(event.target.value)
        onChange(parseNumberText(event.target.value))
      }}
    />
  )
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/** What option `index` of an enum is called: its title when the schema gives one. */
export const optionLabel = (node: EnumNode, index: number): string =>
  node.labels?.[index] ?? formatPlain(node.options[index])

function EnumSelect(props: PrimitiveInputProps & { node: EnumNode }) {
  const { t } = useTranslation()
  const { node, value, onChange, required } = props
  const { options } = node
  const index = options.findIndex((option) => sameValue(option, value))
  // "Not set" stays choosable for optional fields; a required one offers it only until chosen.
  const blank = !required || index < 0
  return (
    <Select
      {...common(props)}
      value={index < 0 ? '' : String(index)}
      onChange={(event) => {
        const chosen = event.target.value
        onChange(chosen === '' ? undefined : options[Number(chosen)])
      }}
    >
      {blank && (
        <option value="">{required ? t('tester.form.choose') : t('tester.form.notSet')}</option>
      )}
      {options.map((_option, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the schema's options never reorder
        <option key={i} value={String(i)}>
          {optionLabel(node, i)}
        </option>
      ))}
    </Select>
  )
}

export interface ChoiceCheckboxesProps {
  id: string
  node: EnumNode
  value: unknown
  /** The chosen values in the schema's order; `undefined` once none is chosen. */
  onChange: (next: unknown[] | undefined) => void
  describedBy?: string
  invalid: boolean
  disabled: boolean
}

/** Any number of an enum's options, one checkbox each (put them in a fieldset with a legend). */
export function ChoiceCheckboxes(props: ChoiceCheckboxesProps) {
  const { id, node, value, onChange } = props
  const chosen = Array.isArray(value) ? value : []
  const isChosen = (option: unknown) => chosen.some((entry) => sameValue(entry, option))
  const toggle = (option: unknown, on: boolean) => {
    const next = node.options.filter((o) => (sameValue(o, option) ? on : isChosen(o)))
    onChange(next.length > 0 ? next : undefined)
  }
  return (
    <div className="flex flex-col gap-2">
      {node.options.map((option, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the schema's options never reorder
        <div key={i} className="flex items-center gap-2">
          <input
            id={`${id}-${i}`}
            type="checkbox"
            className="size-4 shrink-0 cursor-pointer accent-primary disabled:cursor-not-allowed"
            checked={isChosen(option)}
            disabled={props.disabled}
            aria-describedby={props.describedBy}
            aria-invalid={props.invalid || undefined}
            onChange={(event) => toggle(option, event.target.checked)}
          />
          <label htmlFor={`${id}-${i}`} className="text-sm">
            {optionLabel(node, i)}
          </label>
        </div>
      ))}
    </div>
  )
}
