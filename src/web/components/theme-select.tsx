import { type LucideIcon, Monitor, Moon, Sun } from 'lucide-react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { isTheme, THEMES, type Theme, useTheme } from './theme-provider.tsx'
import { Label } from './ui/label.tsx'
import { RadioGroup, RadioGroupItem } from './ui/radio-group.tsx'

const ICONS: Record<Theme, LucideIcon> = { light: Sun, dark: Moon, system: Monitor }

/** Light, dark, or whatever the system says; the choice is kept in this browser. */
export function ThemeSelect() {
  const { t } = useTranslation()
  const id = useId()
  const { theme, setTheme } = useTheme()
  return (
    <RadioGroup
      value={theme}
      onValueChange={(value) => isTheme(value) && setTheme(value)}
      aria-label={t('layout.theme.label')}
      className="grid-cols-1 sm:grid-cols-3"
    >
      {THEMES.map((option) => {
        const Icon = ICONS[option]
        return (
          <Label
            key={option}
            htmlFor={`${id}-${option}`}
            className="flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2.5 font-normal has-[[data-state=checked]]:border-primary has-[[data-state=checked]]:bg-accent"
          >
            <RadioGroupItem id={`${id}-${option}`} value={option} />
            <Icon className="size-4 text-muted-foreground" aria-hidden="true" />
            {t(`layout.theme.${option}`)}
          </Label>
        )
      })}
    </RadioGroup>
  )
}
