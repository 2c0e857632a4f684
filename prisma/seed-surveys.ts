/**
 * A demo survey for a local trial (the embedded database only, never a deployment): "Just
 * transition progress in your community", open to all members, anonymous, in both languages,
 * with six questions of different types. Idempotent: fixed ids; marked announced so seeding sends
 * no notice.
 */
import type { Prisma, PrismaClient, SurveyQuestionType } from "@prisma/client";

const SURVEY_ID = "demo-survey-just-transition-progress";

interface DemoQuestion {
  type: SurveyQuestionType;
  promptEn: string;
  promptZh: string;
  sectionEn?: string;
  sectionZh?: string;
  required?: boolean;
  options?: { en: string; zh: string }[];
  minValue?: number;
  maxValue?: number;
}

const questions: DemoQuestion[] = [
  {
    type: "region",
    sectionEn: "About your community",
    sectionZh: "关于您所在的社区",
    promptEn: "Which region is your community in?",
    promptZh: "您的社区位于哪个地区?",
    required: true,
  },
  {
    type: "scale",
    promptEn: "How far has your community got in its transition away from coal? (1 = not started, 5 = well advanced)",
    promptZh: "您的社区在摆脱煤炭依赖的转型中进展如何?(1 = 尚未开始,5 = 进展良好)",
    required: true,
  },
  {
    type: "multiple_choice",
    sectionEn: "What is happening",
    sectionZh: "正在发生的变化",
    promptEn: "Which of these are under way in your community?",
    promptZh: "您的社区正在开展以下哪些工作?",
    options: [
      { en: "Retraining for former mine workers", zh: "为前矿工提供再培训" },
      { en: "New renewable energy projects", zh: "新的可再生能源项目" },
      { en: "Reclamation of mine land", zh: "矿区土地复垦" },
      { en: "New industries or businesses", zh: "新产业或新企业" },
      { en: "Support for local public finances", zh: "对地方财政的支持" },
    ],
  },
  {
    type: "single_choice",
    promptEn: "Compared with five years ago, jobs for young people in your community are…",
    promptZh: "与五年前相比,您社区中年轻人的就业机会……",
    options: [
      { en: "Better", zh: "更好" },
      { en: "About the same", zh: "差不多" },
      { en: "Worse", zh: "更差" },
      { en: "I don't know", zh: "不清楚" },
    ],
  },
  {
    type: "number",
    promptEn: "Roughly how many people in your community have taken part in a retraining programme in the past year?",
    promptZh: "过去一年里,您的社区大约有多少人参加过再培训项目?",
    minValue: 0,
    maxValue: 1_000_000,
  },
  {
    type: "long_text",
    sectionEn: "In your words",
    sectionZh: "请用您自己的话",
    promptEn: "What would help your community most in the next two years?",
    promptZh: "未来两年,什么对您的社区帮助最大?",
  },
];

/** Creates the demo survey once (with its questions), opened and open to all members for 60 days. */
export async function seedDemoSurvey(prisma: PrismaClient): Promise<void> {
  const existing = await prisma.survey.findUnique({ where: { id: SURVEY_ID }, select: { id: true } });
  if (existing) return;
  const now = new Date();
  await prisma.survey.create({
    data: {
      id: SURVEY_ID,
      titleEn: "[Demo] Just transition progress in your community",
      titleZh: "[示例] 您所在社区的公正转型进展",
      introEn:
        "The Just Transition Study team would like to know how the move away from coal is going where you live. Six short questions; your answers are anonymous and you can save half-way.",
      introZh: "公正转型研究团队希望了解您所在地区摆脱煤炭依赖的进展。共六个简短问题;您的回答是匿名的,可以中途保存。",
      audience: "all_members",
      anonymous: true,
      sharesResults: true,
      opensAt: now,
      closesAt: new Date(now.getTime() + 60 * 24 * 60 * 60 * 1000),
      openedAt: now,
      announcedAt: now,
      questions: {
        create: questions.map((q, i) => ({
          id: `${SURVEY_ID}-q${i + 1}`,
          position: i + 1,
          type: q.type,
          promptEn: q.promptEn,
          promptZh: q.promptZh,
          sectionEn: q.sectionEn ?? "",
          sectionZh: q.sectionZh ?? "",
          required: q.required ?? false,
          options: (q.options ?? []).map((o, j) => ({ id: `o${j + 1}`, ...o })) as Prisma.InputJsonValue,
          minValue: q.minValue ?? null,
          maxValue: q.maxValue ?? null,
        })),
      },
    },
  });
}
