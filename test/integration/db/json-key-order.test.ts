import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findToolCallForUser, upsertToolCalls } from '../../../src/server/db/mcp-tool-calls.ts'
import { storeDiscoveredTools } from '../../../src/server/mcp/catalog/tool-cache.ts'
import { closedPortUrl } from '../../helpers/closed-port.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// jsonb would return these keys sorted, shortest first: age, name, email.
const FIELDS = ['name', 'age', 'email']
const ordered = () => Object.fromEntries(FIELDS.map((field) => [field, { type: 'string' }]))

describe('JSON keeps the order it was given', () => {
  let t: TestApp
  let user: Awaited<ReturnType<typeof registerUser>>

  beforeAll(async () => {
    t = await startApp({ config: { ssrf: LOOPBACK_POLICY } })
    user = await registerUser(t)
  })

  afterAll(async () => {
    await t?.close()
  })

  it("shows a tool's input fields in the server's order", async () => {
    const created = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: user.cookie,
      json: {
        name: 'ordered',
        transport: 'streamable-http',
        url: await closedPortUrl(),
        validate: false,
      },
    })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    await storeDiscoveredTools(t.deps.db, {
      serverId: id,
      now: new Date(),
      tools: [
        {
          name: 'register',
          title: null,
          description: null,
          inputSchema: { type: 'object', properties: ordered(), required: FIELDS },
          outputSchema: { type: 'object', properties: ordered() },
          annotations: null,
          execution: null,
          hash: 'h1',
        },
      ],
    })
    const res = await t.request(`/api/user/mcp-servers/${id}/tools`, { cookie: user.cookie })
    const [tool] = ((await res.json()) as { tools: Record<string, Record<string, unknown>>[] })
      .tools
    expect(Object.keys(tool?.inputSchema?.properties as object)).toEqual(FIELDS)
    expect(Object.keys(tool?.outputSchema?.properties as object)).toEqual(FIELDS)
  })

  it("keeps a call's arguments and result in the order they were sent", async () => {
    const id = crypto.randomUUID()
    const now = new Date()
    const values = Object.fromEntries(FIELDS.map((field) => [field, field]))
    await upsertToolCalls(t.deps.db, [
      {
        id,
        user_id: user.userId,
        server_name: 's',
        tool_name: 't',
        source: 'api',
        mode: 'sync',
        input: JSON.stringify(values),
        output: JSON.stringify({ content: [], structuredContent: values }),
        status: 'succeeded',
        created_at: now,
        updated_at: now,
      },
    ])
    const row = await findToolCallForUser(t.deps.db, { userId: user.userId, id })
    expect(Object.keys(row?.input as object)).toEqual(FIELDS)
    const output = row?.output as { structuredContent: object }
    expect(Object.keys(output.structuredContent)).toEqual(FIELDS)
  })
})
