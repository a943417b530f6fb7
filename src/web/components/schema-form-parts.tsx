import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { FieldPath, FormField, FormNode, JsonObject } from './schema-form-model.ts'
import { cn } from './ui/cn.ts'

/** What every field of a `SchemaForm` reads: the whole value, how to change it, the errors. */
export interface FormContext {
  root: JsonObject
  set: (path: FieldPath, next: unknown) => void
  /** Server messages by normalized dotted path. */
  errors: Record<string, string>
  disabled: boolean
  showNames: boolean
}

/**
 * The name as the API knows it with the schema's title beside it (or only the title, when names
 * are not shown), and the required mark.
 */
export function FieldName({ field, showNames }: { field: FormField; showNames: boolean }) {
  const { t } = useTranslation()
  const title = typeof field.node.schema.title === 'string' ? field.node.schema.title : undefined
  return (
    <>
      {showNames || !title ? (
        <span className={cn(showNames && 'font-mono')}>{field.name}</span>
      ) : (
        title
      )}
      {showNames && title !== undefined && title !== field.name && (
        <span className="ml-2 font-normal text-muted-foreground">{title}</span>
      )}
      {field.required && (
        <>
          <span className="ml-1 text-destructive" aria-hidden="true">
            *
          </span>
          <span className="sr-only">{t('tools.requiredLabel')}</span>
        </>
      )}
    </>
  )
}

/**
 * Description, format, range and default of a field, as one line of help. Without names the
 * format and default are left out: the input shows both, and the JSON would mean nothing.
 */
export function useHint(node: FormNode, showNames: boolean): string | undefined {
  const { t } = useTranslation()
  const { schema } = node
  const parts: string[] = []
  if (typeof schema.description === 'string') parts.push(schema.description)
  if (showNames && node.kind === 'string' && node.format)
    parts.push(t('tester.form.format', { format: node.format }))
  if (node.kind === 'number') {
    const { minimum: min, maximum: max } = schema
    if (typeof min === 'number' && typeof max === 'number') {
      parts.push(t('tester.form.between', { min, max }))
    } else if (typeof min === 'number') parts.push(t('tester.form.atLeast', { min }))
    else if (typeof max === 'number') parts.push(t('tester.form.atMost', { max }))
  }
  if (node.kind === 'choices') {
    const { minItems: min, maxItems: max } = schema
    if (typeof min === 'number' && typeof max === 'number') {
      parts.push(t('tester.form.chooseBetween', { min, max }))
    } else if (typeof min === 'number') parts.push(t('tester.form.chooseAtLeast', { count: min }))
    else if (typeof max === 'number') parts.push(t('tester.form.chooseAtMost', { count: max }))
  }
  if (showNames && 'default' in schema) {
    parts.push(t('tester.form.default', { value: JSON.stringify(schema.default) }))
  }
  return parts.length > 0 ? parts.join(' · ') : undefined
}

/** A field's line of help; the input points at it with aria-describedby. */
export function Help({ id, children }: { id: string; children: ReactNode }) {
  if (!children) return null
  return (
    <p id={id} className="text-sm break-words whitespace-pre-line text-muted-foreground">
      {children}
    </p>
  )
}
