import type DataLoader from 'dataloader';
import type { GqlContext } from '../graphql/gql-context.js';
import { byKeys } from '../graphql/request-loaders.js';
import type { Questionnaire } from './models/questionnaire.model.js';
import type { QuestionnairesService } from './questionnaires.service.js';

/** The request's questionnaire-version loader: the versions a list of answers was given to, in one query. */
export function questionnaireVersionLoader(ctx: GqlContext, questionnaires: QuestionnairesService): DataLoader<number, Questionnaire | null> {
  return ctx.loaders.get<number, Questionnaire | null>('questionnaire.versionById', async (ids) => byKeys(ids, await questionnaires.byIds(ids), (q) => q.id));
}
