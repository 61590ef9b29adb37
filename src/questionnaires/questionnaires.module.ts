import { Module } from '@nestjs/common';
import { QuestionnaireAnswersService } from './questionnaire-answers.service.js';
import { QuestionnaireAnswersResolver, QuestionnairesResolver } from './questionnaires.resolver.js';
import { QuestionnairesService } from './questionnaires.service.js';

@Module({
  providers: [QuestionnairesResolver, QuestionnaireAnswersResolver, QuestionnairesService, QuestionnaireAnswersService],
  exports: [QuestionnairesService, QuestionnaireAnswersService],
})
export class QuestionnairesModule {}
