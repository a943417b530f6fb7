import { FAVOURITES_MAX, type ModelList } from '../../shared/models.ts'
import type { Db } from '../db/database.ts'
import {
  addFavouriteModel,
  listFavouriteModels,
  removeFavouriteModel,
} from '../db/model-favourites.ts'
import { ValidationError } from '../errors.ts'
import { isModelOnOffer, listModelsOnOffer, type ModelOfferDeps } from './model-offer.ts'

// The models as one user sees them: what is on offer, with the ones they starred marked.

export interface UserModelDeps extends ModelOfferDeps {
  db: Db
  now: () => Date
}

/** `GET /api/chat/models`. Favourites no longer on offer are left out (and kept, should they return). */
export async function listModelsForUser(
  deps: UserModelDeps,
  input: { userId: string },
): Promise<ModelList> {
  const [offer, favourites] = await Promise.all([
    listModelsOnOffer(deps),
    listFavouriteModels(deps.db, input),
  ])
  const starred = new Set(favourites)
  const { snapshot, setup } = offer
  return {
    models: offer.models.map((model) => ({ ...model, favourite: starred.has(model.id) })),
    defaultModel: setup.defaultModel,
    allowlist: setup.allowlist,
    catalog: {
      status: offer.status,
      fetchedAt: snapshot.fetchedAt?.toISOString() ?? null,
      error: snapshot.error,
    },
  }
}

export async function listFavourites(
  deps: Pick<UserModelDeps, 'db'>,
  input: { userId: string },
): Promise<string[]> {
  return listFavouriteModels(deps.db, input)
}

/** Stars a model on offer (again: nothing changes). */
export async function addFavourite(
  deps: UserModelDeps,
  input: { userId: string; modelId: string },
): Promise<void> {
  if (!(await isModelOnOffer(deps, input.modelId))) {
    throw new ValidationError(
      [{ field: 'modelId', message: 'not one of the models on offer (GET /api/chat/models)' }],
      `model "${input.modelId}" is not offered here: only models on offer can be favourites`,
    )
  }
  const favourites = await listFavouriteModels(deps.db, input)
  if (!favourites.includes(input.modelId) && favourites.length >= FAVOURITES_MAX) {
    throw new ValidationError([
      { field: 'modelId', message: `at most ${FAVOURITES_MAX} favourites: remove one first` },
    ])
  }
  await addFavouriteModel(deps.db, { ...input, at: deps.now() })
}

/** Un-stars a model (also one no longer on offer); one that was not starred changes nothing. */
export async function removeFavourite(
  deps: Pick<UserModelDeps, 'db'>,
  input: { userId: string; modelId: string },
): Promise<void> {
  await removeFavouriteModel(deps.db, input)
}
