import type { ChatMessage } from '../../shared/chat.ts'
import type { MessageRow } from '../db/messages.ts'
import { messageOfRow } from './ui-messages.ts'

/**
 * A conversation's messages as the tree they form: editing a message or answering again adds a
 * sibling, so a message may have several children, each the start of a branch. What the model
 * and the reader see is one path, from the first message to the leaf on show.
 */
export interface MessageTree {
  byId: Map<string, MessageRow>
  /** Children by parent id (null: the first messages), oldest first. */
  children: Map<string | null, MessageRow[]>
  /** The newest message of all, whatever its branch. */
  newest: MessageRow | undefined
}

/** `rows` oldest first (as `listMessages` returns them). */
export function buildTree(rows: readonly MessageRow[]): MessageTree {
  const byId = new Map<string, MessageRow>()
  const children = new Map<string | null, MessageRow[]>()
  for (const row of rows) byId.set(row.id, row)
  for (const row of rows) {
    // A parent that is gone (never, with the foreign key) would hide the branch: treat it as first.
    const parent = row.parent_id !== null && byId.has(row.parent_id) ? row.parent_id : null
    const siblings = children.get(parent)
    if (siblings) siblings.push(row)
    else children.set(parent, [row])
  }
  return { byId, children, newest: rows.at(-1) }
}

/**
 * The leaf on show: the conversation's current message, or (none stored, or gone) the newest
 * message. It is taken as it is, also when it has children: while a message is answered again,
 * the current message is the question, and its older answers are not what is on show.
 */
export function currentLeaf(tree: MessageTree, currentMessageId: string | null): string | null {
  const current = currentMessageId !== null ? tree.byId.get(currentMessageId) : undefined
  return (current ?? tree.newest)?.id ?? null
}

/** Following the newest child at each step: where a branch through `id` ends. */
export function latestLeafUnder(tree: MessageTree, id: string): string {
  let leaf = id
  const seen = new Set<string>()
  for (;;) {
    seen.add(leaf)
    const next = tree.children.get(leaf)?.at(-1)
    if (!next || seen.has(next.id)) return leaf
    leaf = next.id
  }
}

/** The messages from the first one to `id` (empty for null or an unknown id). */
export function pathTo(tree: MessageTree, id: string | null): MessageRow[] {
  const path: MessageRow[] = []
  const seen = new Set<string>()
  let row = id !== null ? tree.byId.get(id) : undefined
  while (row && !seen.has(row.id)) {
    seen.add(row.id)
    path.push(row)
    row = row.parent_id !== null ? tree.byId.get(row.parent_id) : undefined
  }
  return path.reverse()
}

/** A message as the API shows it: its parent, and its siblings when it has any. */
export function toMessageView(tree: MessageTree, row: MessageRow): ChatMessage {
  const parent = row.parent_id !== null && tree.byId.has(row.parent_id) ? row.parent_id : null
  const siblings = tree.children.get(parent) ?? []
  return {
    ...messageOfRow(row),
    parentId: parent,
    ...(siblings.length > 1 ? { siblingIds: siblings.map((sibling) => sibling.id) } : {}),
  }
}

/** The branch on show, as the API shows it. */
export function branchView(tree: MessageTree, leafId: string | null): ChatMessage[] {
  return pathTo(tree, leafId).map((row) => toMessageView(tree, row))
}
