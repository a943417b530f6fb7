import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { formatJson, JsonEditor, parseJsonText } from './json-editor.tsx'
import { numberProblem, PrimitiveInput, useDraft } from './schema-form-inputs.tsx'
import { ArrayField, ChoicesField } from './schema-form-lists.tsx'
import {
  errorsAt,
  type FieldPath,
  type FormField,
  type FormNode,
  getAt,
  isObject,
  type JsonObject,
  type ObjectNode,
  type PrimitiveNode,
  pathKey,
} from './schema-form-model.ts'
import { FieldName, type FormContext, Help, useHint } from './schema-form-parts.tsx'
import { FieldError } from './ui/field-error.tsx'
import { Label } from './ui/label.tsx'

export interface SchemaFormProps {
  node: ObjectNode
  value: JsonObject
  onChange: (path: FieldPath, next: unknown) => void
  errors: Record<string, string>
  disabled?: boolean
  /**
   * Label fields by their names in the schema, with formats and defaults in the help (for a
   * developer trying a tool). Off: by their titles, as a person answering a question reads them.
   */
  showNames?: boolean
}

/** The fields of a schema, editing `value` (a call's arguments, an answer's content) in place. */
export function SchemaForm({
  node,
  value,
  onChange,
  errors,
  disabled = false,
  showNames = true,
}: SchemaFormProps) {
  const { t } = useTranslation()
  if (node.fields.length === 0) {
    return <p className="text-sm text-muted-foreground">{t('tester.form.noInput')}</p>
  }
  const ctx: FormContext = { root: value, set: onChange, errors, disabled, showNames }
  return <FieldList fields={node.fields} path={[]} ctx={ctx} />
}

function FieldList({
  fields,
  path,
  ctx,
}: {
  fields: readonly FormField[]
  path: FieldPath
  ctx: FormContext
}) {
  return (
    <div className="flex flex-col gap-5">
      {fields.map((field) => (
        <SchemaField key={field.name} field={field} path={[...path, field.name]} ctx={ctx} />
      ))}
    </div>
  )
}

/** A value that does not fit its field's shape (typed in the JSON editor) is edited as JSON. */
function fits(node: FormNode, value: unknown): boolean {
  if (value === undefined) return true
  if (node.kind === 'array' || node.kind === 'choices') return Array.isArray(value)
  if (node.kind === 'object') return isObject(value)
  return true
}

function SchemaField({
  field,
  path,
  ctx,
}: {
  field: FormField
  path: FieldPath
  ctx: FormContext
}) {
  const value = getAt(ctx.root, path)
  const { node } = field
  if (!fits(node, value)) return <JsonField field={field} path={path} ctx={ctx} value={value} />
  switch (node.kind) {
    case 'object':
      return <ObjectField field={field} node={node} path={path} ctx={ctx} />
    case 'array':
      return <ArrayField field={field} item={node.item} path={path} ctx={ctx} value={value} />
    case 'choices':
      return <ChoicesField field={field} item={node.item} path={path} ctx={ctx} value={value} />
    case 'json':
      return <JsonField field={field} path={path} ctx={ctx} value={value} />
    default:
      return <PrimitiveField field={field} node={node} path={path} ctx={ctx} value={value} />
  }
}

function PrimitiveField({
  field,
  node,
  path,
  ctx,
  value,
}: {
  field: FormField
  node: PrimitiveNode
  path: FieldPath
  ctx: FormContext
  value: unknown
}) {
  const { t } = useTranslation()
  const id = useId()
  const hint = useHint(node, ctx.showNames)
  const serverError = ctx.errors[pathKey(path)]
  const problem = node.kind === 'number' ? numberProblem(value, node.integer) : null
  const error =
    serverError ??
    (problem
      ? t(problem === 'integer' ? 'tester.form.notInteger' : 'tester.form.notNumber')
      : undefined)
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean)
  const input = (
    <PrimitiveInput
      id={id}
      node={node}
      value={value}
      onChange={(next) => ctx.set(path, next)}
      describedBy={describedBy.join(' ') || undefined}
      invalid={Boolean(error)}
      required={field.required}
      disabled={ctx.disabled}
    />
  )
  return (
    <div className="flex flex-col gap-2" data-field={pathKey(path)}>
      {node.kind === 'boolean' ? (
        <div className="flex items-center gap-3">
          {input}
          <Label htmlFor={id}>
            <FieldName field={field} showNames={ctx.showNames} />
          </Label>
        </div>
      ) : (
        <>
          <Label htmlFor={id}>
            <FieldName field={field} showNames={ctx.showNames} />
          </Label>
          {input}
        </>
      )}
      <Help id={`${id}-hint`}>{hint}</Help>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  )
}

function ObjectField({
  field,
  node,
  path,
  ctx,
}: {
  field: FormField
  node: ObjectNode
  path: FieldPath
  ctx: FormContext
}) {
  const id = useId()
  const hint = useHint(node, ctx.showNames)
  const error = ctx.errors[pathKey(path)]
  return (
    <fieldset
      className="flex min-w-0 flex-col gap-4 rounded-md border p-4"
      aria-describedby={
        [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') ||
        undefined
      }
      data-field={pathKey(path)}
    >
      <legend className="px-1 text-sm font-medium">
        <FieldName field={field} showNames={ctx.showNames} />
      </legend>
      <Help id={`${id}-hint`}>{hint}</Help>
      <FieldError id={`${id}-error`}>{error}</FieldError>
      <FieldList fields={node.fields} path={path} ctx={ctx} />
    </fieldset>
  )
}

const jsonMeans = (text: string, value: unknown): boolean => {
  const parsed = parseJsonText(text)
  return parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(value)
}

/** A field the form cannot show: its value as JSON, parsed as it is typed. */
function JsonField({
  field,
  path,
  ctx,
  value,
}: {
  field: FormField
  path: FieldPath
  ctx: FormContext
  value: unknown
}) {
  const { t } = useTranslation()
  const hint = useHint(field.node, ctx.showNames)
  const [text, setText] = useDraft(value, formatJson, jsonMeans)
  const parsed = parseJsonText(text)
  const serverErrors = errorsAt(ctx.errors, pathKey(path), true)
  const error = !parsed.ok
    ? t('tester.json.syntax', { detail: parsed.reason === 'syntax' ? parsed.detail : '' })
    : serverErrors.map(([, message]) => message).join(' ') || undefined
  return (
    <div data-field={pathKey(path)}>
      <JsonEditor
        label={<FieldName field={field} showNames={ctx.showNames} />}
        text={text}
        rows={4}
        required={field.required}
        hint={[hint, t('tester.form.asJson')].filter(Boolean).join(' · ')}
        error={error}
        onTextChange={(next) => {
          setText(next)
          const result = parseJsonText(next)
          if (result.ok) ctx.set(path, result.value)
        }}
      />
    </div>
  )
}
