import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { INSTRUCTIONS_MAX } from '../../shared/presets.ts'
import { cn } from './ui/cn.ts'
import { FieldError } from './ui/field-error.tsx'
import { Label } from './ui/label.tsx'
import { Textarea } from './ui/textarea.tsx'

/** The user's own system prompt for a conversation (or a preset), with what it does and its size. */
export function InstructionsField({
  value,
  onChange,
  error,
}: {
  value: string
  onChange: (text: string) => void
  error?: string | undefined
}) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const over = value.length > INSTRUCTIONS_MAX
  return (
    <div className="flex flex-col gap-2">
      <Label htmlFor={id}>{t('models.instructions.label')}</Label>
      <Textarea
        id={id}
        name="instructions"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        rows={6}
        placeholder={t('models.instructions.placeholder')}
        aria-describedby={`${id}-hint ${id}-error`}
        aria-invalid={error || over ? true : undefined}
        className="max-h-[40dvh]"
      />
      <p id={`${id}-hint`} className="flex justify-between gap-4 text-sm text-muted-foreground">
        <span>{t('models.instructions.hint')}</span>
        <span className={cn('shrink-0 whitespace-nowrap tabular-nums', over && 'text-destructive')}>
          {t('models.instructions.count', {
            count: value.length,
            max: new Intl.NumberFormat(i18n.language).format(INSTRUCTIONS_MAX),
          })}
        </span>
      </p>
      <FieldError id={`${id}-error`}>
        {error ?? (over ? t('validation.tooLong', { count: INSTRUCTIONS_MAX }) : undefined)}
      </FieldError>
    </div>
  )
}
