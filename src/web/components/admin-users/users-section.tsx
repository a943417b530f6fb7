import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { MailPlus, UserPlus, Users } from 'lucide-react'
import { useDeferredValue, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { AdminUserStatus, AdminUserView } from '../../../shared/admin.ts'
import type { UserRole } from '../../../shared/auth.ts'
import {
  adminUserQueries,
  useChangeRole,
  useDeleteUser,
  useDisableUser,
  useEnableUser,
  useResetLink,
} from '../../api/admin-users.ts'
import { useErrorMessage } from '../../hooks/use-error-message.ts'
import { useFormatDateTime } from '../../hooks/use-format-date-time.ts'
import { useSignedInUser } from '../../hooks/use-signed-in-user.ts'
import { ConfirmDialog } from '../confirm-dialog.tsx'
import { EmptyState } from '../empty-state.tsx'
import { ErrorState } from '../error-state.tsx'
import { SearchField } from '../search-field.tsx'
import { Button } from '../ui/button.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../ui/card.tsx'
import { Label } from '../ui/label.tsx'
import { Select } from '../ui/select.tsx'
import { Spinner } from '../ui/spinner.tsx'
import { CreateUserDialog } from './create-user-dialog.tsx'
import { DisableUserDialog } from './disable-user-dialog.tsx'
import { InviteDialog } from './invite-dialog.tsx'
import { LinkDialog, type ShownLink } from './link-dialog.tsx'
import { PendingInvitations } from './pending-invitations.tsx'
import type { UserAction } from './user-actions-menu.tsx'
import { UserTable } from './user-table.tsx'

/** The admin page's Users card: the list with its filters, and every action on accounts. */
export function UsersSection({ hours }: { hours: number }) {
  const { t } = useTranslation()
  const { user: self } = useSignedInUser()
  const roleId = useId()
  const statusId = useId()
  const [q, setQ] = useState('')
  const [role, setRole] = useState<UserRole | ''>('')
  const [status, setStatus] = useState<AdminUserStatus | ''>('')
  const search = useDeferredValue(q.trim())
  const users = useQuery({
    ...adminUserQueries.list({
      hours,
      ...(search ? { q: search } : {}),
      ...(role ? { role } : {}),
      ...(status ? { status } : {}),
    }),
    placeholderData: keepPreviousData,
  })
  const [dialog, setDialog] = useState<'invite' | 'create' | null>(null)
  const [link, setLink] = useState<ShownLink | null>(null)
  const actions = useUserActions(setLink)
  const filtered = search !== '' || role !== '' || status !== ''

  return (
    <Card>
      <CardHeader className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex flex-col gap-1.5">
          <CardTitle>{t('adminUsers.title')}</CardTitle>
          <CardDescription>{t('adminUsers.description')}</CardDescription>
        </div>
        <div className="flex gap-2">
          <Button variant="outline" onClick={() => setDialog('invite')}>
            <MailPlus aria-hidden="true" />
            {t('adminUsers.invite.button')}
          </Button>
          <Button onClick={() => setDialog('create')}>
            <UserPlus aria-hidden="true" />
            {t('adminUsers.create.button')}
          </Button>
        </div>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <SearchField
            className="flex-1"
            label={t('adminUsers.search')}
            placeholder={t('adminUsers.search')}
            value={q}
            onValueChange={setQ}
          />
          <div className="flex gap-3">
            <div className="flex flex-1 flex-col gap-1.5">
              <Label htmlFor={roleId}>{t('adminUsers.roleFilter')}</Label>
              <Select
                id={roleId}
                value={role}
                onChange={(event) => setRole(event.target.value as UserRole | '')}
              >
                <option value="">{t('adminUsers.anyRole')}</option>
                <option value="admin">{t('settings.account.roles.admin')}</option>
                <option value="user">{t('settings.account.roles.user')}</option>
              </Select>
            </div>
            <div className="flex flex-1 flex-col gap-1.5">
              <Label htmlFor={statusId}>{t('adminUsers.statusFilter')}</Label>
              <Select
                id={statusId}
                value={status}
                onChange={(event) => setStatus(event.target.value as AdminUserStatus | '')}
              >
                <option value="">{t('adminUsers.anyStatus')}</option>
                <option value="active">{t('adminUsers.status.active')}</option>
                <option value="disabled">{t('adminUsers.status.disabled')}</option>
              </Select>
            </div>
          </div>
        </div>
        {users.isPending ? (
          <div className="flex justify-center py-6">
            <Spinner label={t('common.loading')} />
          </div>
        ) : users.isError ? (
          <ErrorState error={users.error} onRetry={() => users.refetch()} />
        ) : users.data.users.length === 0 ? (
          <EmptyState icon={Users} title={t('adminUsers.emptyTitle')}>
            <p>{t('adminUsers.emptyBody')}</p>
            {filtered && (
              <Button
                variant="outline"
                onClick={() => {
                  setQ('')
                  setRole('')
                  setStatus('')
                }}
              >
                {t('adminUsers.clearFilters')}
              </Button>
            )}
          </EmptyState>
        ) : (
          <UserTable users={users.data.users} selfId={self.id} onAction={actions.start} />
        )}
        <PendingInvitations />
      </CardContent>
      <InviteDialog
        open={dialog === 'invite'}
        onClose={() => setDialog(null)}
        onCreated={setLink}
      />
      <CreateUserDialog open={dialog === 'create'} onClose={() => setDialog(null)} />
      <LinkDialog link={link} onClose={() => setLink(null)} />
      <DisableUserDialog
        email={actions.confirming?.action === 'disable' ? actions.confirming.user.email : null}
        pending={actions.disable.isPending}
        error={actions.disable.error}
        onConfirm={actions.confirmDisable}
        onClose={actions.cancel}
      />
      <ConfirmDialog
        open={actions.confirming?.action === 'delete'}
        title={t('adminUsers.delete.title', { email: actions.confirming?.user.email })}
        body={t('adminUsers.delete.body')}
        confirmLabel={t('adminUsers.delete.confirm')}
        pending={actions.remove.isPending}
        error={actions.remove.error}
        onConfirm={actions.confirmDelete}
        onClose={actions.cancel}
      />
    </Card>
  )
}

/** Runs a row's action: at once (role, enable, reset link) or after its confirm dialog. */
function useUserActions(showLink: (link: ShownLink) => void) {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  const formatDateTime = useFormatDateTime()
  const [confirming, setConfirming] = useState<{
    user: AdminUserView
    action: 'disable' | 'delete'
  } | null>(null)
  const changeRole = useChangeRole()
  const enable = useEnableUser()
  const disable = useDisableUser()
  const remove = useDeleteUser()
  const resetLink = useResetLink()
  const onError = (error: unknown) => toast.error(errorMessage(error))

  const start = (user: AdminUserView, action: UserAction) => {
    switch (action) {
      case 'makeAdmin':
      case 'makeMember': {
        const role = action === 'makeAdmin' ? 'admin' : 'user'
        changeRole.mutate(
          { id: user.id, role },
          {
            onSuccess: () =>
              toast.success(
                t('adminUsers.roleChanged', {
                  email: user.email,
                  role: t(`settings.account.roles.${role}`),
                }),
              ),
            onError,
          },
        )
        return
      }
      case 'enable':
        enable.mutate(user.id, {
          onSuccess: () => toast.success(t('adminUsers.enabled', { email: user.email })),
          onError,
        })
        return
      case 'resetLink':
        resetLink.mutate(user.id, {
          onSuccess: (link) =>
            showLink({
              title: t('adminUsers.reset.title'),
              description: t('adminUsers.reset.description', {
                email: user.email,
                date: formatDateTime(link.expiresAt),
              }),
              url: link.url,
            }),
          onError,
        })
        return
      case 'disable':
      case 'delete':
        disable.reset()
        remove.reset()
        setConfirming({ user, action })
    }
  }

  const confirmDisable = (reason: string) => {
    if (!confirming) return
    const { user } = confirming
    disable.mutate(
      { id: user.id, ...(reason ? { reason } : {}) },
      {
        onSuccess: () => {
          toast.success(t('adminUsers.disable.done', { email: user.email }))
          setConfirming(null)
        },
      },
    )
  }

  const confirmDelete = () => {
    if (!confirming) return
    const { user } = confirming
    remove.mutate(user.id, {
      onSuccess: () => {
        toast.success(t('adminUsers.delete.done', { email: user.email }))
        setConfirming(null)
      },
    })
  }

  return {
    confirming,
    start,
    cancel: () => setConfirming(null),
    confirmDisable,
    confirmDelete,
    disable,
    remove,
  }
}
