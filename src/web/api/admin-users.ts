import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import {
  type AdminUserListQuery,
  AdminUserListSchema,
  AdminUserViewSchema,
} from '../../shared/admin.ts'
import {
  AdminLinkSchema,
  type AdminUserCreate,
  type InvitationCreate,
  InvitationCreatedSchema,
  InvitationInfoSchema,
  InvitationListSchema,
  type PasswordReset,
  type RegistrationPolicy,
  RegistrationSettingsSchema,
} from '../../shared/admin-users.ts'
import type { UserRole } from '../../shared/auth.ts'
import { adminQueries } from './admin.ts'
import { apiFetch } from './client.ts'

const BASE = '/api/admin'

export type UserListFilter = Omit<AdminUserListQuery, 'hours'> & { hours: number }

/** Admin-only reads of accounts, invitations and the registration policy. */
export const adminUserQueries = {
  list: (filter: UserListFilter) =>
    queryOptions({
      queryKey: [...adminQueries.all(), 'users', filter.hours, filter] as const,
      queryFn: ({ signal }) => {
        const query = new URLSearchParams({ hours: String(filter.hours) })
        if (filter.q) query.set('q', filter.q)
        if (filter.role) query.set('role', filter.role)
        if (filter.status) query.set('status', filter.status)
        return apiFetch(`${BASE}/users?${query}`, { schema: AdminUserListSchema, signal })
      },
    }),
  invitations: () =>
    queryOptions({
      queryKey: [...adminQueries.all(), 'invitations'] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${BASE}/invitations`, { schema: InvitationListSchema, signal }),
      select: (list) => list.invitations,
    }),
  registration: () =>
    queryOptions({
      queryKey: [...adminQueries.all(), 'registration'] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${BASE}/registration`, { schema: RegistrationSettingsSchema, signal }),
    }),
}

/** Public: what a registration link is for (400 link_invalid when it is spent). */
export const invitationQueries = {
  info: (token: string) =>
    queryOptions({
      queryKey: ['invitation', token] as const,
      queryFn: ({ signal }) =>
        apiFetch(`/api/auth/invitations/${encodeURIComponent(token)}`, {
          schema: InvitationInfoSchema,
          signal,
        }),
      retry: false,
    }),
}

const userPath = (id: string) => `${BASE}/users/${encodeURIComponent(id)}`

/** Every change to accounts refreshes the admin page (lists, counts, the audit log). */
function useAdminMutation<I, O>(mutationFn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminQueries.all() }),
  })
}

export function useCreateUser() {
  return useAdminMutation((input: AdminUserCreate) =>
    apiFetch(`${BASE}/users`, { method: 'POST', body: input, schema: AdminUserViewSchema }),
  )
}

export function useChangeRole() {
  return useAdminMutation((input: { id: string; role: UserRole }) =>
    apiFetch(`${userPath(input.id)}/role`, {
      method: 'PUT',
      body: { role: input.role },
      schema: AdminUserViewSchema,
    }),
  )
}

export function useDisableUser() {
  return useAdminMutation((input: { id: string; reason?: string }) =>
    apiFetch(`${userPath(input.id)}/disable`, {
      method: 'POST',
      body: input.reason ? { reason: input.reason } : {},
      schema: AdminUserViewSchema,
    }),
  )
}

export function useEnableUser() {
  return useAdminMutation((id: string) =>
    apiFetch(`${userPath(id)}/enable`, { method: 'POST', schema: AdminUserViewSchema }),
  )
}

export function useDeleteUser() {
  return useAdminMutation((id: string) => apiFetch(userPath(id), { method: 'DELETE' }))
}

export function useResetLink() {
  return useAdminMutation((id: string) =>
    apiFetch(`${userPath(id)}/reset-link`, { method: 'POST', schema: AdminLinkSchema }),
  )
}

export function useCreateInvitation() {
  return useAdminMutation((input: InvitationCreate) =>
    apiFetch(`${BASE}/invitations`, {
      method: 'POST',
      body: input,
      schema: InvitationCreatedSchema,
    }),
  )
}

export function useRevokeInvitation() {
  return useAdminMutation((id: string) =>
    apiFetch(`${BASE}/invitations/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  )
}

export function useSaveRegistration() {
  return useAdminMutation((policy: RegistrationPolicy) =>
    apiFetch(`${BASE}/registration`, {
      method: 'PUT',
      body: policy,
      schema: RegistrationSettingsSchema,
    }),
  )
}

/** The page a reset link opens: a new password for the token in the link. */
export function useResetPassword() {
  return useMutation({
    mutationFn: (input: PasswordReset) =>
      apiFetch('/api/auth/reset-password', { method: 'POST', body: input }),
  })
}
