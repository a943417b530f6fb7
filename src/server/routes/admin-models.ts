import { createRoute, z } from '@hono/zod-openapi'
import {
  ModelProviderCreateSchema,
  ModelProviderListSchema,
  ModelProviderTestSchema,
  ModelProviderUpdateSchema,
  ModelProviderViewSchema,
  ModelSettingsUpdateSchema,
  ModelSettingsViewSchema,
} from '../../shared/model-providers.ts'
import {
  createModelProvider,
  deleteModelProvider,
  listModelProviders,
  testModelProvider,
  updateModelProvider,
  updateModelSettings,
} from '../admin/model-providers.ts'
import { adminOf, requireAdmin, requireUser } from '../auth/require-user.ts'
import { createRouter, errorResponses, json, jsonBody, USER_SECURITY } from './router.ts'

const tags = ['Admin: models']
const security = USER_SECURITY
/** A provider's id, or `environment` for the one environment variables set. */
const Params = z.object({ id: z.string().min(1).max(100) })

/** `/api/admin/model-providers` and `/api/admin/model-settings` (admins only). */
export const adminModelRoutes = createRouter()
adminModelRoutes.use('/model-providers/*', requireUser(), requireAdmin())
adminModelRoutes.use('/model-providers', requireUser(), requireAdmin())
adminModelRoutes.use('/model-settings', requireUser(), requireAdmin())
adminModelRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/model-providers',
      tags,
      security,
      summary: "The model providers (the environment's first) and the model settings; keys never",
      responses: { 200: json(ModelProviderListSchema), ...errorResponses(401, 403) },
    }),
    async (c) => c.json(await listModelProviders(c.var.deps), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/model-providers',
      tags,
      security,
      summary: 'Add OpenRouter or an OpenAI-compatible endpoint (its key is stored encrypted)',
      request: jsonBody(ModelProviderCreateSchema),
      responses: {
        201: json(ModelProviderViewSchema, 'Created'),
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) =>
      c.json(
        await createModelProvider(c.var.deps, { ...c.req.valid('json'), admin: adminOf(c) }),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/model-providers/{id}',
      tags,
      security,
      summary: 'Change a provider: name, URL, key (null removes it), the models on offer',
      request: { params: Params, ...jsonBody(ModelProviderUpdateSchema) },
      responses: { 200: json(ModelProviderViewSchema), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const view = await updateModelProvider(c.var.deps, {
        id: c.req.valid('param').id,
        changes: c.req.valid('json'),
        admin: adminOf(c),
      })
      return c.json(view, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/model-providers/{id}',
      tags,
      security,
      summary: 'Remove a provider (its models are no longer on offer)',
      request: { params: Params },
      responses: {
        204: { description: 'Removed' },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      await deleteModelProvider(c.var.deps, { id: c.req.valid('param').id, admin: adminOf(c) })
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/model-providers/{id}/test',
      tags,
      security,
      summary: "List the provider's models (through the SSRF guard); a failure says why",
      request: { params: Params },
      responses: { 200: json(ModelProviderTestSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json(await testModelProvider(c.var.deps, { id: c.req.valid('param').id }), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/model-settings',
      tags,
      security,
      summary: 'The default model (unless LLM_MODEL sets it) and whether users may bring a key',
      request: jsonBody(ModelSettingsUpdateSchema),
      responses: { 200: json(ModelSettingsViewSchema), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) =>
      c.json(
        await updateModelSettings(c.var.deps, {
          changes: c.req.valid('json'),
          admin: adminOf(c),
        }),
        200,
      ),
  )
