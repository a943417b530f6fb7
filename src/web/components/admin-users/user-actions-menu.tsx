import {
  KeyRound,
  MoreHorizontal,
  ShieldCheck,
  ShieldOff,
  Trash2,
  UserCheck,
  UserX,
} from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { AdminUserView } from '../../../shared/admin.ts'
import { Button } from '../ui/button.tsx'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '../ui/dropdown-menu.tsx'

export type UserAction = 'makeAdmin' | 'makeMember' | 'resetLink' | 'disable' | 'enable' | 'delete'

/** The row's actions; what a dialog asks first is for the caller (`onAction`). */
export function UserActionsMenu({
  user,
  isSelf,
  onAction,
}: {
  user: AdminUserView
  isSelf: boolean
  onAction: (action: UserAction) => void
}) {
  const { t } = useTranslation()
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          aria-label={t('adminUsers.actionsFor', { email: user.email })}
          title={t('adminUsers.actionsFor', { email: user.email })}
        >
          <MoreHorizontal aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent>
        {user.role === 'admin' ? (
          <DropdownMenuItem onSelect={() => onAction('makeMember')}>
            <ShieldOff aria-hidden="true" />
            {t('adminUsers.actions.makeMember')}
          </DropdownMenuItem>
        ) : (
          <DropdownMenuItem onSelect={() => onAction('makeAdmin')}>
            <ShieldCheck aria-hidden="true" />
            {t('adminUsers.actions.makeAdmin')}
          </DropdownMenuItem>
        )}
        <DropdownMenuItem onSelect={() => onAction('resetLink')}>
          <KeyRound aria-hidden="true" />
          {t('adminUsers.actions.resetLink')}
        </DropdownMenuItem>
        {!isSelf && (
          <>
            <DropdownMenuSeparator />
            {user.status === 'disabled' ? (
              <DropdownMenuItem onSelect={() => onAction('enable')}>
                <UserCheck aria-hidden="true" />
                {t('adminUsers.actions.enable')}
              </DropdownMenuItem>
            ) : (
              <DropdownMenuItem onSelect={() => onAction('disable')}>
                <UserX aria-hidden="true" />
                {t('adminUsers.actions.disable')}
              </DropdownMenuItem>
            )}
            <DropdownMenuItem variant="destructive" onSelect={() => onAction('delete')}>
              <Trash2 aria-hidden="true" />
              {t('adminUsers.actions.delete')}
            </DropdownMenuItem>
          </>
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
