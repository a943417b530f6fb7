import { createRoute, z } from '@hono/zod-openapi'
import { ModelFavouriteListSchema, ModelIdSchema, ModelListSchema } from '../../shared/models.ts'
import { requireUser } from '../auth/require-user.ts'
import {
  addFavourite,
  listFavourites,
  listModelsForUser,
  removeFavourite,
} from '../chat/user-models.ts'
import { createRouter, errorResponses, json, USER_SECURITY } from './router.ts'

const tags = ['Models']
const security = USER_SECURITY

/** `GET /api/chat/models`: the models the caller may pick. */
export const modelRoutes = createRouter()
modelRoutes.use('*', requireUser())
modelRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    security,
    summary: "The models on offer: the provider's catalogue (or the operator's allowlist)",
    description:
      "The provider's catalogue (OpenRouter `/models`, or an OpenAI-compatible `/models`) is " +
      'cached for 10 minutes per instance. With `chat.models` set in switchboard.yaml only ' +
      'those models are listed. When the catalogue cannot be fetched, the configured models (or ' +
      'the last catalogue fetched) are listed and `catalog.status` says so.',
    responses: { 200: json(ModelListSchema), ...errorResponses(401) },
  }),
  async (c) => c.json(await listModelsForUser(c.var.deps, { userId: c.var.user.id }), 200),
)

// A model id holds slashes (`openai/gpt-4o-mini`): clients send it URL-encoded as one segment.
const FavouriteParams = z.object({ modelId: ModelIdSchema })

/** `/api/user/model-favourites`: the models the caller starred. */
export const modelFavouriteRoutes = createRouter()
modelFavouriteRoutes.use('*', requireUser())
modelFavouriteRoutes
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: 'The ids of the models the caller starred',
      responses: { 200: json(ModelFavouriteListSchema), ...errorResponses(401) },
    }),
    async (c) =>
      c.json({ modelIds: await listFavourites(c.var.deps, { userId: c.var.user.id }) }, 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/{modelId}',
      tags,
      security,
      summary: 'Star a model (its id URL-encoded: `openai%2Fgpt-4o-mini`)',
      request: { params: FavouriteParams },
      responses: { 204: { description: 'Starred' }, ...errorResponses(400, 401) },
    }),
    async (c) => {
      await addFavourite(c.var.deps, {
        userId: c.var.user.id,
        modelId: c.req.valid('param').modelId,
      })
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{modelId}',
      tags,
      security,
      summary: 'Un-star a model',
      request: { params: FavouriteParams },
      responses: { 204: { description: 'No longer starred' }, ...errorResponses(400, 401) },
    }),
    async (c) => {
      await removeFavourite(c.var.deps, {
        userId: c.var.user.id,
        modelId: c.req.valid('param').modelId,
      })
      return c.body(null, 204)
    },
  )
