import { createRoute, z } from '@hono/zod-openapi'
import {
  McpProfileCreateSchema,
  McpProfileListSchema,
  McpProfileSchema,
  McpProfileUpdateSchema,
} from '../../shared/mcp-profiles.ts'
import { requireUser } from '../auth/require-user.ts'
import { createProfile, deleteProfile, listProfiles, updateProfile } from '../gateway/profiles.ts'
import { createRouter, errorResponses, json, USER_SECURITY } from './router.ts'

const tags = ['MCP endpoint']
const security = USER_SECURITY
const IdParams = z.object({ id: z.uuid() })
const body = <S extends z.ZodType>(schema: S) => ({
  body: { content: { 'application/json': { schema } }, required: true },
})

/** `/api/user/mcp-profiles`: named subsets of the user's servers and tools for MCP clients. */
export const mcpProfileRoutes = createRouter()
mcpProfileRoutes.use('*', requireUser())
mcpProfileRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: 'Your MCP endpoint profiles',
      responses: { 200: json(McpProfileListSchema), ...errorResponses(401) },
    }),
    async (c) => c.json({ profiles: await listProfiles(c.var.deps, c.var.user.id) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      security,
      summary:
        'Create a profile: a name (for `/mcp/p/<name>`), the servers and single tools it offers, and its tool mode',
      description:
        'A tool id that is not one of your tools answers 404 naming the field (`toolIds.<n>`). ' +
        'Tool mode `search` lists only `search_tools` and `call_tool` to the MCP client.',
      request: body(McpProfileCreateSchema),
      responses: { 201: json(McpProfileSchema), ...errorResponses(400, 401, 404, 409) },
    }),
    async (c) => {
      const input = c.req.valid('json')
      return c.json(await createProfile(c.var.deps, { userId: c.var.user.id, ...input }), 201)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      security,
      summary: 'Rename a profile or change its servers, single tools or tool mode',
      request: { params: IdParams, ...body(McpProfileUpdateSchema) },
      responses: { 200: json(McpProfileSchema), ...errorResponses(400, 401, 404, 409) },
    }),
    async (c) => {
      const profile = await updateProfile(c.var.deps, {
        userId: c.var.user.id,
        id: c.req.valid('param').id,
        ...c.req.valid('json'),
      })
      return c.json(profile, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      security,
      summary: 'Delete a profile and the tokens scoped to it',
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      await deleteProfile(c.var.deps, { userId: c.var.user.id, id: c.req.valid('param').id })
      return c.body(null, 204)
    },
  )
