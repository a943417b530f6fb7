import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { chooseLanguage, isLanguage, SUPPORTED_LANGUAGES } from '../i18n/index.ts'
import { cn } from './ui/cn.ts'
import { Label } from './ui/label.tsx'

/** Picks the interface language; the choice is kept in this browser. */
export function LanguageSelect({
  className,
  onChanged,
}: {
  className?: string
  onChanged?: () => void
}) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const current = i18n.resolvedLanguage ?? i18n.language
  return (
    <div className={cn('flex items-center gap-2', className)}>
      <Label htmlFor={id}>{t('settings.language.label')}</Label>
      <select
        id={id}
        value={current}
        onChange={async (event) => {
          if (!isLanguage(event.target.value)) return
          await chooseLanguage(i18n, event.target.value)
          onChanged?.()
        }}
        className="h-9 rounded-md border border-input bg-background px-2 text-sm"
      >
        {SUPPORTED_LANGUAGES.map((language) => (
          // Each language is named in itself, so people can find their own.
          <option key={language} value={language} lang={language}>
            {t(`languages.${language}`)}
          </option>
        ))}
      </select>
    </div>
  )
}
