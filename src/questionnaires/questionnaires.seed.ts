import type { PrismaClient } from '../generated/prisma/client.js';
import type { QuestionType } from '../generated/prisma/enums.js';
import type { QuestionInput, QuestionnaireContentInput } from './inputs/questionnaire-content.input.js';
import { checkContent, contentData } from './questionnaire-content.js';

export const DEMO_QUESTIONNAIRE_TITLE = 'Website security self-assessment';

const q = (type: QuestionType, text: string, choices: [string, number][] = [], extra: Partial<QuestionInput> = {}): QuestionInput => ({
  type,
  text,
  required: true,
  choices: choices.map(([label, score]) => ({ label, score })),
  ...extra,
});
const yesNo = (text: string, score = 10) => q('SINGLE_CHOICE', text, [['No', 0], ['Partly', Math.floor(score / 2)], ['Yes', score]]);

const DEMO: QuestionnaireContentInput = {
  title: DEMO_QUESTIONNAIRE_TITLE,
  description: 'A short self-assessment of how an organisation protects its websites. Scores are computed by the server.',
  sections: [
    {
      title: 'Access control',
      questions: [
        yesNo('Is multi-factor authentication required for every administrator account?'),
        yesNo('Are administrator accounts reviewed and removed when people leave?'),
        q('MULTIPLE_CHOICE', 'Which administration interfaces are reachable only from trusted networks?', [
          ['CMS back office', 4],
          ['Database consoles', 4],
          ['Server SSH/RDP', 4],
        ], { maxScore: 10 }),
      ],
    },
    {
      title: 'Patching and vulnerability management',
      questions: [
        q('SINGLE_CHOICE', 'How quickly are critical security patches applied?', [
          ['More than a month', 0],
          ['Within a month', 4],
          ['Within a week', 8],
          ['Within 48 hours', 10],
        ]),
        yesNo('Are the websites scanned for vulnerabilities at least monthly?'),
        q('TEXT', 'Describe how findings from scans are tracked until they are fixed.', [], { maxScore: 5 }),
      ],
    },
    {
      title: 'Web application protection',
      questions: [
        q('MULTIPLE_CHOICE', 'Which protections are in place?', [
          ['HTTPS everywhere with HSTS', 3],
          ['Web application firewall', 3],
          ['Content Security Policy', 2],
          ['Rate limiting on login forms', 2],
        ]),
        yesNo('Are backups of site content and databases tested by restoring them?'),
      ],
    },
    {
      title: 'Incident response',
      questions: [
        yesNo('Is there a written incident response plan with named contacts?'),
        q('TEXT', 'Who should be contacted first when a website is compromised?', [], { required: false }),
      ],
    },
  ],
};

/**
 * Seeds the demo questionnaire (published version 1) unless a questionnaire with its title
 * exists. Idempotent; returns the id of the demo version.
 */
export async function seedQuestionnaires(prisma: PrismaClient): Promise<number> {
  const existing = await prisma.questionnaireVersion.findFirst({ where: { title: DEMO_QUESTIONNAIRE_TITLE }, orderBy: { id: 'asc' } });
  if (existing) return existing.id;
  checkContent(DEMO);
  const family = await prisma.questionnaire.create({
    data: { versions: { create: { version: 1, status: 'PUBLISHED', publishedAt: new Date(), ...contentData(DEMO) } } },
    include: { versions: true },
  });
  return family.versions[0].id;
}
