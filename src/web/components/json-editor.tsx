import { type ReactNode, useId } from 'react'
import { cn } from './ui/cn.ts'
import { FieldError } from './ui/field-error.tsx'
import { Label } from './ui/label.tsx'
import { Textarea } from './ui/textarea.tsx'

export type JsonParse =
  | { ok: true; value: unknown }
  | { ok: false; reason: 'syntax'; detail: string }
  | { ok: false; reason: 'notObject' }

/** Parses editor text; an empty editor is `undefined` (nothing to send). */
export function parseJsonText(text: string, { object = false } = {}): JsonParse {
  if (text.trim() === '') return { ok: true, value: object ? {} : undefined }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { ok: false, reason: 'syntax', detail: error instanceof Error ? error.message : '' }
  }
  if (object && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    return { ok: false, reason: 'notObject' }
  }
  return { ok: true, value }
}

export const formatJson = (value: unknown): string =>
  value === undefined ? '' : JSON.stringify(value, null, 2)

export interface JsonEditorProps {
  id?: string
  label: ReactNode
  text: string
  onTextChange: (text: string) => void
  /** Help under the label, read with the field. */
  hint?: ReactNode
  /** Why the text is not acceptable (a parse error, or the server's word on the field). */
  error?: ReactNode
  rows?: number
  required?: boolean
  className?: string
}

/** A monospace textarea for JSON, with its hint and error wired to it for screen readers. */
export function JsonEditor({
  id,
  label,
  text,
  onTextChange,
  hint,
  error,
  rows = 8,
  required,
  className,
}: JsonEditorProps) {
  const ownId = useId()
  const inputId = id ?? ownId
  const hintId = `${inputId}-hint`
  const errorId = `${inputId}-error`
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ')
  return (
    <div className={cn('flex flex-col gap-2', className)}>
      <Label htmlFor={inputId}>{label}</Label>
      {hint && (
        <p id={hintId} className="text-sm text-muted-foreground">
          {hint}
        </p>
      )}
      <Textarea
        id={inputId}
        value={text}
        rows={rows}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        aria-invalid={error ? true : undefined}
        aria-required={required || undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => onTextChange(event.target.value)}
        className="font-mono"
      />
      <FieldError id={errorId}>{error}</FieldError>
    </div>
  )
}
