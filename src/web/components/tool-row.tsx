import { AppWindow, Check, GitCompare, Play, ShieldCheck, ShieldQuestion } from 'lucide-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { toast } from 'sonner'
import { asksFirst } from '../../shared/approval.ts'
import {
  type ApprovalPolicy,
  ApprovalPolicySchema,
  type McpToolUpdate,
  type McpToolView,
} from '../../shared/mcp-servers.ts'
import { useUpdateTool } from '../api/mcp-servers.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { ToolAnnotationBadges } from './tool-annotation-badges.tsx'
import { ToolChangeDiff } from './tool-change-diff.tsx'
import { ToolSchemaSummary } from './tool-schema-summary.tsx'
import { Badge } from './ui/badge.tsx'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'
import { Label } from './ui/label.tsx'
import { Select } from './ui/select.tsx'
import { Switch } from './ui/switch.tsx'

/** Descriptions longer than this start clamped, with "Show more". */
const LONG_DESCRIPTION_CHARS = 180

export interface ToolRowProps {
  tool: McpToolView
  /** Shared servers are the operator's: their tools are shown, not changed. */
  readOnly?: boolean
}

/** One tool: what it does and takes, whether the model may use it, and any unreviewed change. */
export function ToolRow({ tool, readOnly = false }: ToolRowProps) {
  const { t } = useTranslation()
  const id = useId()
  const errorMessage = useErrorMessage()
  const update = useUpdateTool(tool.serverId)
  const [expanded, setExpanded] = useState(false)
  const [showDiff, setShowDiff] = useState(false)

  const change = (changes: McpToolUpdate, done: string) =>
    update.mutate(
      { toolId: tool.id, changes },
      {
        onSuccess: () => toast.success(done),
        onError: (error) => toast.error(errorMessage(error)),
      },
    )

  // While a change is in flight, show where it is going.
  const pending = update.isPending ? update.variables?.changes : undefined
  const enabled = pending?.enabled ?? tool.enabled
  const policy = pending?.approvalPolicy ?? tool.approvalPolicy
  // What a call of this tool will do under that policy: the rule the chat applies.
  const asks = asksFirst(policy, tool.annotations)
  const description = tool.description ?? ''
  const long = description.length > LONG_DESCRIPTION_CHARS || description.split('\n').length > 3

  return (
    <article
      aria-labelledby={`${id}-name`}
      data-tool={tool.name}
      className={cn('flex flex-col gap-3 py-4', !enabled && 'opacity-75')}
    >
      <div className="flex items-start gap-3">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 id={`${id}-name`} className="font-mono text-sm font-semibold break-all">
              {tool.name}
            </h3>
            {tool.title && tool.title !== tool.name && (
              <span className="text-sm text-muted-foreground">{tool.title}</span>
            )}
            {tool.changed && (
              <Badge variant="warning">
                <GitCompare aria-hidden="true" />
                {t('tools.changed')}
              </Badge>
            )}
            {tool.app && (
              <Badge
                variant="secondary"
                data-app={tool.app.resourceUri}
                title={t('apps.badgeHint')}
              >
                <AppWindow aria-hidden="true" />
                {t(tool.app.visibility.includes('model') ? 'apps.badge' : 'apps.badgeAppOnly')}
                <span className="sr-only">: {t('apps.badgeHint')}</span>
              </Badge>
            )}
            <Badge variant={asks ? 'outline' : 'secondary'} data-approval={asks ? 'asks' : 'runs'}>
              {asks ? <ShieldQuestion aria-hidden="true" /> : <ShieldCheck aria-hidden="true" />}
              {t(asks ? 'tools.approval.asksFirst' : 'tools.approval.runsWithoutAsking')}
            </Badge>
          </div>
          <ToolAnnotationBadges annotations={tool.annotations} />
        </div>
        <Switch
          checked={enabled}
          disabled={readOnly || update.isPending}
          onCheckedChange={(next) =>
            change(
              { enabled: next },
              t(next ? 'tools.enabledToast' : 'tools.disabledToast', { name: tool.name }),
            )
          }
          aria-label={t('tools.enabledLabel', { name: tool.name })}
        />
      </div>

      {description && (
        <div className="flex flex-col items-start gap-1">
          <p
            id={`${id}-description`}
            className={cn(
              'text-sm break-words whitespace-pre-line text-muted-foreground',
              long && !expanded && 'line-clamp-3',
            )}
          >
            {description}
          </p>
          {long && (
            <Button
              variant="link"
              size="sm"
              className="h-auto px-0 text-xs"
              aria-expanded={expanded}
              aria-controls={`${id}-description`}
              onClick={() => setExpanded(!expanded)}
            >
              {expanded ? t('tools.showLess') : t('tools.showMore')}
            </Button>
          )}
        </div>
      )}

      <ToolSchemaSummary inputSchema={tool.inputSchema} />

      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`${id}-approval`} className="text-xs text-muted-foreground">
            {t('tools.approval.label')}
          </Label>
          <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
            <Select
              id={`${id}-approval`}
              value={policy}
              disabled={readOnly || update.isPending}
              aria-label={t('tools.approval.labelFor', { name: tool.name })}
              aria-describedby={`${id}-approval-hint`}
              className="sm:w-44"
              onChange={(event) => {
                const parsed = ApprovalPolicySchema.safeParse(event.target.value)
                if (!parsed.success) return
                change(
                  { approvalPolicy: parsed.data },
                  t('tools.approval.saved', {
                    name: tool.name,
                    policy: t(`tools.approval.${parsed.data}`),
                  }),
                )
              }}
            >
              {ApprovalPolicySchema.options.map((option: ApprovalPolicy) => (
                <option key={option} value={option}>
                  {t(`tools.approval.${option}`)}
                </option>
              ))}
            </Select>
            <p id={`${id}-approval-hint`} className="text-xs text-muted-foreground">
              {t(
                `tools.approval.hints.${policy === 'auto' ? (asks ? 'autoAsks' : 'autoRuns') : policy}`,
              )}
            </p>
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button asChild variant="outline" size="sm">
            <Link
              to={`/servers/${encodeURIComponent(tool.serverId)}/tools/${encodeURIComponent(tool.name)}/try`}
              aria-label={t('tester.tryLabel', { name: tool.name })}
            >
              <Play aria-hidden="true" />
              {t('tester.try')}
            </Link>
          </Button>
          {tool.changed && (
            <>
              <Button
                variant="outline"
                size="sm"
                aria-expanded={showDiff}
                aria-controls={`${id}-diff`}
                onClick={() => setShowDiff(!showDiff)}
              >
                <GitCompare aria-hidden="true" />
                {showDiff ? t('tools.hideChange') : t('tools.reviewChange')}
              </Button>
              {!readOnly && (
                <Button
                  size="sm"
                  pending={update.isPending && pending?.acceptChange === true}
                  disabled={update.isPending}
                  aria-label={t('tools.acceptChangeLabel', { name: tool.name })}
                  onClick={() =>
                    change({ acceptChange: true }, t('tools.accepted', { name: tool.name }))
                  }
                >
                  {!update.isPending && <Check aria-hidden="true" />}
                  {t('tools.acceptChange')}
                </Button>
              )}
            </>
          )}
        </div>
      </div>

      {tool.changed && showDiff && (
        <div id={`${id}-diff`} className="flex flex-col gap-2">
          <p className="text-sm text-muted-foreground">{t('tools.changedHint')}</p>
          <ToolChangeDiff tool={tool} />
        </div>
      )}
    </article>
  )
}
