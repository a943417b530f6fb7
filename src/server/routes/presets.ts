import { createRoute, z } from '@hono/zod-openapi'
import {
  PresetCreateSchema,
  PresetListSchema,
  PresetSchema,
  PresetUpdateSchema,
} from '../../shared/presets.ts'
import { requireUser } from '../auth/require-user.ts'
import {
  createPreset,
  deletePreset,
  getPreset,
  listPresets,
  toPresetView,
  updatePreset,
} from '../chat/presets.ts'
import { createRouter, errorResponses, json, jsonBody, USER_SECURITY } from './router.ts'

const tags = ['Presets']
const security = USER_SECURITY
const Params = z.object({ id: z.uuid() })

/** `/api/user/presets`: saved model + instructions + servers to start conversations from. */
export const presetRoutes = createRouter()
presetRoutes.use('*', requireUser())
presetRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: "The caller's presets, by name",
      responses: { 200: json(PresetListSchema), ...errorResponses(401) },
    }),
    async (c) => c.json({ presets: await listPresets(c.var.deps, { userId: c.var.user.id }) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      security,
      summary: 'Save a preset: a model (null: the default), instructions and the servers on',
      request: jsonBody(PresetCreateSchema),
      responses: { 201: json(PresetSchema, 'Created'), ...errorResponses(400, 401, 409) },
    }),
    async (c) => {
      const row = await createPreset(c.var.deps, {
        userId: c.var.user.id,
        preset: c.req.valid('json'),
      })
      return c.json(toPresetView(row), 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      security,
      summary: 'One preset',
      request: { params: Params },
      responses: { 200: json(PresetSchema), ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const row = await getPreset(c.var.deps, {
        userId: c.var.user.id,
        id: c.req.valid('param').id,
      })
      return c.json(toPresetView(row), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      security,
      summary: 'Change a preset (conversations started from it keep what they had)',
      request: { params: Params, ...jsonBody(PresetUpdateSchema) },
      responses: { 200: json(PresetSchema), ...errorResponses(400, 401, 404, 409) },
    }),
    async (c) => {
      const row = await updatePreset(c.var.deps, {
        userId: c.var.user.id,
        id: c.req.valid('param').id,
        changes: c.req.valid('json'),
      })
      return c.json(toPresetView(row), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      security,
      summary: 'Delete a preset (conversations started from it keep their settings)',
      request: { params: Params },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      await deletePreset(c.var.deps, { userId: c.var.user.id, id: c.req.valid('param').id })
      return c.body(null, 204)
    },
  )
