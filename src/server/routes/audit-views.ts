import type { AuditAction, AuditEntryView, AuditList } from '../../shared/audit.ts'
import type { AuditPage } from '../audit/audit-log.ts'
import type { AuditLogRow } from '../db/audit-log.ts'

export function toAuditEntryView(row: AuditLogRow): AuditEntryView {
  return {
    id: row.id,
    userId: row.user_id,
    actor: row.actor,
    // Written only by recordAudit, which takes an AuditAction.
    action: row.action as AuditAction,
    targetType: row.target_type,
    targetId: row.target_id,
    ip: row.ip,
    details: row.details ?? {},
    at: row.at.toISOString(),
  }
}

export function toAuditListView(page: AuditPage): AuditList {
  return { entries: page.rows.map(toAuditEntryView), nextCursor: page.nextCursor }
}
