import { Eye, Globe, Repeat, TriangleAlert } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Badge } from './ui/badge.tsx'

const HINTS = [
  { key: 'readOnly', hint: 'readOnlyHint', icon: Eye, variant: 'secondary' },
  { key: 'destructive', hint: 'destructiveHint', icon: TriangleAlert, variant: 'destructive' },
  { key: 'idempotent', hint: 'idempotentHint', icon: Repeat, variant: 'secondary' },
  { key: 'openWorld', hint: 'openWorldHint', icon: Globe, variant: 'secondary' },
] as const

/**
 * The behaviour hints a tool's server declares. Only hints stated as true are shown: MCP's
 * defaults for missing hints are guesses, and the server's say-so is all these are anyway.
 */
export function ToolAnnotationBadges({
  annotations,
}: {
  annotations: Record<string, unknown> | null
}) {
  const { t } = useTranslation()
  const shown = HINTS.filter(({ hint }) => annotations?.[hint] === true)
  if (shown.length === 0) return null
  return (
    <ul className="flex flex-wrap gap-1.5">
      {shown.map(({ key, icon: Icon, variant }) => (
        <li key={key}>
          <Badge variant={variant} title={t(`tools.annotationHints.${key}`)}>
            <Icon aria-hidden="true" />
            {t(`tools.annotations.${key}`)}
            <span className="sr-only">: {t(`tools.annotationHints.${key}`)}</span>
          </Badge>
        </li>
      ))}
    </ul>
  )
}
