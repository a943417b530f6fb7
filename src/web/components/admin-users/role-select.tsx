import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { UserRole } from '../../../shared/auth.ts'
import { Label } from '../ui/label.tsx'
import { Select } from '../ui/select.tsx'

/** Member or administrator, for the invite and create forms. */
export function RoleSelect({ name = 'role', label }: { name?: string; label: string }) {
  const { t } = useTranslation()
  const id = useId()
  const roles: UserRole[] = ['user', 'admin']
  return (
    <div className="flex flex-col gap-2">
      <Label htmlFor={id}>{label}</Label>
      <Select id={id} name={name} defaultValue="user">
        {roles.map((role) => (
          <option key={role} value={role}>
            {t(`settings.account.roles.${role}`)}
          </option>
        ))}
      </Select>
    </div>
  )
}
