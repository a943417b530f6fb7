import { Plus, Trash2 } from 'lucide-react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { ChoiceCheckboxes, PrimitiveInput } from './schema-form-inputs.tsx'
import {
  type EnumNode,
  errorsAt,
  type FieldPath,
  type FormField,
  type PrimitiveNode,
  pathKey,
} from './schema-form-model.ts'
import { FieldName, type FormContext, Help, useHint } from './schema-form-parts.tsx'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'
import { FieldError } from './ui/field-error.tsx'

/** A set of an enum's values: a checkbox per option. */
export function ChoicesField({
  field,
  item,
  path,
  ctx,
  value,
}: {
  field: FormField
  item: EnumNode
  path: FieldPath
  ctx: FormContext
  value: unknown
}) {
  const id = useId()
  const hint = useHint(field.node, ctx.showNames)
  const key = pathKey(path)
  const errors = errorsAt(ctx.errors, key, true)
  const describedBy = [hint ? `${id}-hint` : null, errors.length > 0 ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ')
  return (
    <fieldset className="flex min-w-0 flex-col gap-3" data-field={key}>
      <legend className="mb-2 text-sm leading-none font-medium">
        <FieldName field={field} showNames={ctx.showNames} />
      </legend>
      <Help id={`${id}-hint`}>{hint}</Help>
      <ChoiceCheckboxes
        id={id}
        node={item}
        value={value}
        onChange={(next) => ctx.set(path, next)}
        describedBy={describedBy || undefined}
        invalid={errors.length > 0}
        disabled={ctx.disabled}
      />
      <FieldError id={`${id}-error`}>
        {errors.map(([, message]) => message).join(' ') || undefined}
      </FieldError>
    </fieldset>
  )
}

function newItem(item: PrimitiveNode): unknown {
  if ('default' in item.schema) return structuredClone(item.schema.default)
  switch (item.kind) {
    case 'string':
      return ''
    case 'number':
      return typeof item.schema.minimum === 'number' ? item.schema.minimum : 0
    case 'boolean':
      return false
    case 'enum':
      return item.options[0]
  }
}

export function ArrayField({
  field,
  item,
  path,
  ctx,
  value,
}: {
  field: FormField
  item: PrimitiveNode
  path: FieldPath
  ctx: FormContext
  value: unknown
}) {
  const { t } = useTranslation()
  const id = useId()
  const hint = useHint(field.node, ctx.showNames)
  const items = Array.isArray(value) ? value : []
  const key = pathKey(path)
  const errors = errorsAt(ctx.errors, key, true)
  // An emptied list is a list not sent, like any other empty field.
  const save = (next: unknown[]) => ctx.set(path, next.length > 0 ? next : undefined)
  return (
    <fieldset
      className="flex min-w-0 flex-col gap-3"
      aria-describedby={hint ? `${id}-hint` : undefined}
      data-field={key}
    >
      <legend className="mb-2 text-sm leading-none font-medium">
        <FieldName field={field} showNames={ctx.showNames} />
      </legend>
      <Help id={`${id}-hint`}>{hint}</Help>
      {items.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t('tester.form.noItems')}</p>
      ) : (
        <ol className="flex flex-col gap-2">
          {items.map((entry, index) => {
            const rowError = ctx.errors[`${key}.${index}`]
            const label = t('tester.form.item', { name: field.name, index: index + 1 })
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the list
              <li key={index} className="flex items-start gap-2">
                <div
                  className={cn(
                    'flex min-w-0 flex-1 flex-col gap-1',
                    item.kind === 'boolean' && 'pt-2',
                  )}
                >
                  <PrimitiveInput
                    id={`${id}-${index}`}
                    node={item}
                    value={entry}
                    ariaLabel={label}
                    emptyAsNothing={false}
                    invalid={Boolean(rowError)}
                    required
                    disabled={ctx.disabled}
                    describedBy={rowError ? `${id}-${index}-error` : undefined}
                    onChange={(next) => save(items.map((old, i) => (i === index ? next : old)))}
                  />
                  <FieldError id={`${id}-${index}-error`}>{rowError}</FieldError>
                </div>
                <Button
                  variant="ghost"
                  size="icon"
                  disabled={ctx.disabled}
                  aria-label={t('tester.form.removeItem', { item: label })}
                  onClick={() => save(items.filter((_, i) => i !== index))}
                >
                  <Trash2 aria-hidden="true" />
                </Button>
              </li>
            )
          })}
        </ol>
      )}
      {errors
        .filter(([field]) => !/\.\d+$/.test(field.slice(key.length)))
        .map(([field, message]) => (
          <FieldError key={field}>{message}</FieldError>
        ))}
      <Button
        variant="outline"
        size="sm"
        className="self-start"
        disabled={ctx.disabled}
        aria-label={t('tester.form.addItemTo', { name: field.name })}
        onClick={() => save([...items, newItem(item)])}
      >
        <Plus aria-hidden="true" />
        {t('tester.form.addItem')}
      </Button>
    </fieldset>
  )
}
