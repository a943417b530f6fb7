import { Fragment } from 'react'
import { useTranslation } from 'react-i18next'
import type { McpToolView } from '../../shared/mcp-servers.ts'
import { cn } from './ui/cn.ts'

const SECTIONS = [
  'title',
  'description',
  'inputSchema',
  'outputSchema',
  'annotations',
  'app',
] as const
type Section = (typeof SECTIONS)[number]

/** Unchanged runs longer than this fold to their first and last lines. */
const CONTEXT_LINES = 2
/** Beyond this many cells the line diff gives up and shows the sides as replaced wholesale. */
const MAX_DIFF_CELLS = 1_000_000

type Op =
  | { kind: 'same'; text: string }
  | { kind: 'del'; text: string }
  | { kind: 'ins'; text: string }

/** One row of the side-by-side view; `fold` stands for that many hidden unchanged lines. */
type Row =
  | { kind: 'pair'; before: string | null; after: string | null; changed: boolean }
  | { kind: 'fold'; count: number }

function linesOf(value: unknown): string[] {
  if (value === null || value === undefined) return []
  if (typeof value === 'string') return value.split('\n')
  return JSON.stringify(value, null, 2).split('\n')
}

/** Longest-common-subsequence line diff: small inputs (tool definitions), plain and exact. */
export function diffLines(before: string[], after: string[]): Op[] {
  const n = before.length
  const m = after.length
  if (n * m > MAX_DIFF_CELLS) {
    return [
      ...before.map((text) => ({ kind: 'del' as const, text })),
      ...after.map((text) => ({ kind: 'ins' as const, text })),
    ]
  }
  // lcs[i][j]: common lines of before[i..] and after[j..], in one flat array.
  const lcs = new Uint32Array((n + 1) * (m + 1))
  const at = (i: number, j: number) => i * (m + 1) + j
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[at(i, j)] =
        before[i] === after[j]
          ? (lcs[at(i + 1, j + 1)] ?? 0) + 1
          : Math.max(lcs[at(i + 1, j)] ?? 0, lcs[at(i, j + 1)] ?? 0)
    }
  }
  const ops: Op[] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      ops.push({ kind: 'same', text: before[i] ?? '' })
      i++
      j++
    } else if ((lcs[at(i + 1, j)] ?? 0) >= (lcs[at(i, j + 1)] ?? 0)) {
      ops.push({ kind: 'del', text: before[i++] ?? '' })
    } else {
      ops.push({ kind: 'ins', text: after[j++] ?? '' })
    }
  }
  while (i < n) ops.push({ kind: 'del', text: before[i++] ?? '' })
  while (j < m) ops.push({ kind: 'ins', text: after[j++] ?? '' })
  return ops
}

/** Pairs removed and added lines side by side, and folds long unchanged stretches. */
function toRows(ops: Op[]): Row[] {
  const rows: Row[] = []
  let index = 0
  while (index < ops.length) {
    const op = ops[index]
    if (op?.kind === 'same') {
      const run: string[] = []
      while (ops[index]?.kind === 'same') run.push(ops[index++]?.text ?? '')
      const fold = run.length > CONTEXT_LINES * 2 + 1
      const shown = fold ? [...run.slice(0, CONTEXT_LINES)] : run
      for (const text of shown)
        rows.push({ kind: 'pair', before: text, after: text, changed: false })
      if (fold) {
        rows.push({ kind: 'fold', count: run.length - CONTEXT_LINES * 2 })
        for (const text of run.slice(-CONTEXT_LINES))
          rows.push({ kind: 'pair', before: text, after: text, changed: false })
      }
      continue
    }
    const removed: string[] = []
    const added: string[] = []
    while (ops[index] && ops[index]?.kind !== 'same') {
      const next = ops[index++]
      if (next?.kind === 'del') removed.push(next.text)
      else if (next?.kind === 'ins') added.push(next.text)
    }
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      rows.push({
        kind: 'pair',
        before: removed[k] ?? null,
        after: added[k] ?? null,
        changed: true,
      })
    }
  }
  return rows
}

function changedSections(tool: McpToolView): Array<{ section: Section; rows: Row[] }> {
  const previous = tool.previousDefinition ?? {}
  return SECTIONS.flatMap((section) => {
    const before = linesOf(
      section === 'app'
        ? appOf({ ui: previous.ui, hash: previous.uiResourceHash })
        : previous[section],
    )
    const after = linesOf(
      section === 'app' ? appOf({ ui: tool.app, hash: tool.app?.hash }) : tool[section],
    )
    if (before.join('\n') === after.join('\n')) return []
    return [{ section, rows: toRows(diffLines(before, after)) }]
  })
}

/**
 * A tool's MCP App as the diff shows it: the HTML itself is not diffed, its version (the start
 * of its hash) says that it changed. `previous` is a stored definition (`ui`, `uiResourceHash`).
 */
function appOf(app: { ui: unknown; hash: unknown }): Record<string, unknown> | null {
  const ui = app.ui as { resourceUri?: string; visibility?: string[] } | null | undefined
  if (!ui?.resourceUri) return null
  return {
    resourceUri: ui.resourceUri,
    visibility: ui.visibility ?? ['model', 'app'],
    version: typeof app.hash === 'string' ? app.hash.slice(0, 12) : null,
  }
}

/**
 * What the server changed in a tool since the user accepted it: the definition then and now,
 * line by line, side by side. Only the parts that changed are shown.
 */
export function ToolChangeDiff({ tool }: { tool: McpToolView }) {
  const { t } = useTranslation()
  const sections = changedSections(tool)
  return (
    <div className="overflow-x-auto rounded-md border">
      <table className="w-full table-fixed border-collapse font-mono text-xs">
        <caption className="sr-only">{t('tools.diffLabel', { name: tool.name })}</caption>
        <thead className="bg-muted/50 font-sans text-muted-foreground">
          <tr>
            <th scope="col" className="w-1/2 px-3 py-1.5 text-left font-medium">
              {t('tools.diffBefore')}
            </th>
            <th scope="col" className="w-1/2 border-l px-3 py-1.5 text-left font-medium">
              {t('tools.diffAfter')}
            </th>
          </tr>
        </thead>
        <tbody>
          {sections.map(({ section, rows }) => (
            <Fragment key={section}>
              <tr className="border-t bg-muted/30">
                <th
                  scope="colgroup"
                  colSpan={2}
                  className="px-3 py-1 text-left font-sans font-medium"
                >
                  {t(`tools.diffSections.${section}`)}
                </th>
              </tr>
              {rows.map((row, index) =>
                row.kind === 'fold' ? (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows are derived and never reorder
                  <tr key={index}>
                    <td colSpan={2} className="px-3 py-0.5 font-sans text-muted-foreground italic">
                      {t('tools.diffUnchanged', { count: row.count })}
                    </td>
                  </tr>
                ) : (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows are derived and never reorder
                  <tr key={index} className="align-top">
                    <DiffCell text={row.before} kind={row.changed ? 'del' : 'same'} />
                    <DiffCell text={row.after} kind={row.changed ? 'ins' : 'same'} border />
                  </tr>
                ),
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function DiffCell({
  text,
  kind,
  border = false,
}: {
  text: string | null
  kind: Op['kind']
  border?: boolean
}) {
  const classes = cn(
    'px-3 py-0.5 break-words whitespace-pre-wrap',
    border && 'border-l',
    text !== null && kind === 'del' && 'bg-destructive/10',
    text !== null && kind === 'ins' && 'bg-success',
  )
  if (text === null) return <td className={classes} />
  // A blank line still needs height; del/ins let assistive tech tell the sides apart.
  const content = text || ' '
  return (
    <td className={classes}>
      {kind === 'del' ? (
        <del className="no-underline">{content}</del>
      ) : kind === 'ins' ? (
        <ins className="no-underline">{content}</ins>
      ) : (
        content
      )}
    </td>
  )
}
