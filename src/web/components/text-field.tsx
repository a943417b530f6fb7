import { type ComponentProps, type ReactNode, useId } from 'react'
import { FieldError } from './ui/field-error.tsx'
import { Input } from './ui/input.tsx'
import { Label } from './ui/label.tsx'

export type TextFieldProps = Omit<ComponentProps<'input'>, 'id'> & {
  label: string
  /** Shown after the label, e.g. "optional"; not part of the accessible name. */
  labelNote?: string
  hint?: ReactNode
  error?: string
}

/** A labelled input with its hint and error wired up through aria-describedby. */
export function TextField({ label, labelNote, hint, error, className, ...props }: TextFieldProps) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ')
  return (
    <div className={className ?? 'flex flex-col gap-2'}>
      <Label htmlFor={id}>
        {label}
        {labelNote && (
          <span className="ml-1 font-normal text-muted-foreground" aria-hidden="true">
            ({labelNote})
          </span>
        )}
      </Label>
      <Input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...props}
      />
      {hint && (
        <p id={hintId} className="text-sm text-muted-foreground">
          {hint}
        </p>
      )}
      <FieldError id={errorId}>{error}</FieldError>
    </div>
  )
}
