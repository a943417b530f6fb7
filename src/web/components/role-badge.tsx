import { ShieldCheck } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { UserRole } from '../../shared/auth.ts'
import { Badge } from './ui/badge.tsx'

/** Marks administrators; ordinary users get no badge. */
export function RoleBadge({ role }: { role: UserRole }) {
  const { t } = useTranslation()
  if (role !== 'admin') return null
  return (
    <Badge variant="secondary">
      <ShieldCheck aria-hidden="true" />
      {t('settings.account.roles.admin')}
    </Badge>
  )
}
