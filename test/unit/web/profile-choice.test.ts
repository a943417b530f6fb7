import { describe, expect, it } from 'vitest'
import { choiceOf, offerOf } from '../../../src/web/components/profile-tool-picker.tsx'

// The profile form holds, per server, "all its tools" or some of them; the API takes whole
// servers and single tools.

describe('choiceOf and offerOf', () => {
  it('turns a profile into the picker’s choice and back', () => {
    const profile = {
      serverIds: ['s1'],
      tools: [
        { id: 't1', serverId: 's2', name: 'a' },
        { id: 't2', serverId: 's2', name: 'b' },
      ],
    }
    const choice = choiceOf(profile)
    expect(choice).toEqual({ s1: 'all', s2: ['t1', 't2'] })
    expect(offerOf(choice)).toEqual({ serverIds: ['s1'], toolIds: ['t1', 't2'] })
  })

  it('lets a whole server win over single tools of it', () => {
    const choice = choiceOf({ serverIds: ['s1'], tools: [{ id: 't1', serverId: 's1', name: 'a' }] })
    expect(offerOf(choice)).toEqual({ serverIds: ['s1'], toolIds: [] })
  })
})
