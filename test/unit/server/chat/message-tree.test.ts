import { describe, expect, it } from 'vitest'
import {
  branchView,
  buildTree,
  currentLeaf,
  latestLeafUnder,
  pathTo,
} from '../../../../src/server/chat/message-tree.ts'
import type { MessageRow } from '../../../../src/server/db/messages.ts'

let clock = 0
function row(id: string, parent: string | null, role: MessageRow['role'] = 'user'): MessageRow {
  clock += 1
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, clock))
  return {
    id,
    conversation_id: 'c',
    parent_id: parent,
    role,
    parts: [{ type: 'text', text: id }],
    metadata: null,
    search_text: id,
    created_at: at,
    updated_at: at,
  }
}

//   q1 ─ a1 ─ q2 ─ a2
//           ├ q2' ─ a2' ─ q3
//                 └ a2''
const rows = [
  row('q1', null),
  row('a1', 'q1', 'assistant'),
  row('q2', 'a1'),
  row('a2', 'q2', 'assistant'),
  row("q2'", 'a1'),
  row("a2'", "q2'", 'assistant'),
  row("a2''", "q2'", 'assistant'),
  row('q3', "a2'"),
]
const tree = buildTree(rows)
const ids = (list: { id: string }[]) => list.map((r) => r.id)

describe('message tree', () => {
  it('reads the path from the first message to any message', () => {
    expect(ids(pathTo(tree, 'q3'))).toEqual(['q1', 'a1', "q2'", "a2'", 'q3'])
    expect(ids(pathTo(tree, 'a2'))).toEqual(['q1', 'a1', 'q2', 'a2'])
    expect(pathTo(tree, null)).toEqual([])
    expect(pathTo(tree, 'nope')).toEqual([])
  })

  it('follows the newest child down to a leaf when a branch is picked', () => {
    expect(latestLeafUnder(tree, "q2'")).toBe("a2''")
    expect(latestLeafUnder(tree, 'q2')).toBe('a2')
    expect(latestLeafUnder(tree, 'q1')).toBe("a2''")
  })

  it('shows the stored current message as it is, or the newest message without one', () => {
    expect(currentLeaf(tree, 'q2')).toBe('q2')
    expect(currentLeaf(tree, null)).toBe('q3')
    expect(currentLeaf(tree, 'gone')).toBe('q3')
    expect(currentLeaf(buildTree([]), null)).toBeNull()
  })

  it('names the versions of messages that have several, oldest first', () => {
    const view = branchView(tree, "a2''")
    expect(ids(view)).toEqual(['q1', 'a1', "q2'", "a2''"])
    expect(view.map((m) => m.siblingIds)).toEqual([
      undefined,
      undefined,
      ['q2', "q2'"],
      ["a2'", "a2''"],
    ])
    expect(view.map((m) => m.parentId)).toEqual([null, 'q1', 'a1', "q2'"])
  })

  it('survives a loop in bad data instead of hanging', () => {
    const looped = buildTree([{ ...row('x', 'y') }, { ...row('y', 'x') }])
    expect(ids(pathTo(looped, 'x')).sort()).toEqual(['x', 'y'])
    expect(['x', 'y']).toContain(latestLeafUnder(looped, 'x'))
  })
})
