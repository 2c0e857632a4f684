/**
 * Demo outcomes for a local trial (the embedded database only, never a deployment): a few
 * clearly-marked examples linked to the seeded dialogues, so the register has something to show.
 * Idempotent: each has a fixed id.
 */
import type { OutcomeStatus, OutcomeType, PrismaClient } from "@prisma/client";

interface DemoOutcome {
  id: string;
  type: OutcomeType;
  titleEn: string;
  titleZh: string;
  summaryEn: string;
  summaryZh: string;
  regions: string[];
  dialogues: string[];
  /** The timeline: status and day (YYYY-MM-DD). */
  steps: { status: OutcomeStatus; day: string; note: string }[];
  evidence?: { url: string; label: string }[];
}

const DEMO = "[Demo] ";
const DEMO_ZH = "[示例] ";

const outcomes: DemoOutcome[] = [
  {
    id: "demo-outcome-retraining-exchange",
    type: "joint_project",
    titleEn: `${DEMO}Exchange of retraining curricula between county colleges`,
    titleZh: `${DEMO_ZH}县级学院之间交流再培训课程`,
    summaryEn:
      "Community colleges in Wyoming and vocational schools in Shanxi share their curricula for moving mine workers into wind, solar and grid maintenance, and compare how many graduates find work within a year.",
    summaryZh: "怀俄明州的社区学院与山西的职业学校交流把矿工转向风电、光伏和电网运维的培训课程,并比较毕业生一年内的就业比例。",
    regions: ["wyoming", "shanxi"],
    dialogues: ["2021-dialogue-2-communities-diversification", "2024-09-23-economic-diversification"],
    steps: [
      { status: "proposed", day: "2021-11-18", note: "Raised in the second dialogue. (Demo)" },
      { status: "under_discussion", day: "2022-06-09", note: "Two colleges and one school agreed to compare curricula. (Demo)" },
      { status: "adopted", day: "2024-09-23", note: "Adopted as a joint project at the September 2024 dialogue. (Demo)" },
    ],
  },
  {
    id: "demo-outcome-transition-fund",
    type: "policy_idea",
    titleEn: `${DEMO}A dedicated just-transition fund for coal counties`,
    titleZh: `${DEMO_ZH}为煤炭县设立专门的公正转型基金`,
    summaryEn:
      "Set aside part of coal severance and resource tax revenue in a fund that finances diversification projects and income bridges for workers in the counties that produced it.",
    summaryZh: "将部分煤炭开采税和资源税收入划入专门基金,用于资助产煤县的多元化项目和工人过渡期收入。",
    regions: ["west-virginia", "inner-mongolia", "shaanxi"],
    dialogues: ["2024-12-climate-finance"],
    steps: [
      { status: "proposed", day: "2024-12-12", note: "Proposed in the climate finance dialogue. (Demo)" },
      { status: "under_discussion", day: "2025-03-04", note: "Being discussed with two state and one provincial finance office. (Demo)" },
    ],
  },
  {
    id: "demo-outcome-business-report",
    type: "publication",
    titleEn: `${DEMO}Report: the role of business in coal regions' transition`,
    titleZh: `${DEMO_ZH}报告:企业在煤炭地区转型中的作用`,
    summaryEn: "A short report collecting the company cases discussed in the third dialogue, in English and Chinese.",
    summaryZh: "一份简短报告,收录第三次对话中讨论的企业案例,中英文双语。",
    regions: ["wyoming", "west-virginia", "shanxi", "inner-mongolia", "shaanxi"],
    dialogues: ["2022-dialogue-3-role-of-business"],
    steps: [
      { status: "proposed", day: "2022-05-20", note: "(Demo)" },
      { status: "implemented", day: "2022-10-15", note: "Published. (Demo)" },
    ],
  },
];

/** Adds the demo outcomes that are not there yet; returns how many outcomes there are. */
export async function seedDemoOutcomes(prisma: PrismaClient): Promise<number> {
  for (const o of outcomes) {
    if (await prisma.outcome.findUnique({ where: { id: o.id }, select: { id: true } })) continue;
    const regions = await prisma.region.findMany({ where: { slug: { in: o.regions } }, select: { id: true } });
    const dialogues = await prisma.dialogue.findMany({ where: { slug: { in: o.dialogues } }, select: { id: true } });
    const last = o.steps[o.steps.length - 1]!;
    await prisma.outcome.create({
      data: {
        id: o.id,
        type: o.type,
        status: last.status,
        titleEn: o.titleEn,
        titleZh: o.titleZh,
        summaryEn: o.summaryEn,
        summaryZh: o.summaryZh,
        isPublic: true,
        reviewedAt: new Date(`${o.steps[0]!.day}T12:00:00Z`),
        regions: { create: regions.map((r) => ({ regionId: r.id })) },
        origins: { create: dialogues.map((d) => ({ kind: "dialogue" as const, refId: d.id })) },
        events: {
          create: o.steps.map((step, i) => ({ id: `${o.id}-step-${i}`, status: step.status, occurredAt: new Date(`${step.day}T12:00:00Z`), note: step.note })),
        },
        evidence: o.evidence ? { create: o.evidence.map((e, i) => ({ id: `${o.id}-evidence-${i}`, ...e })) } : undefined,
      },
    });
  }
  return prisma.outcome.count();
}
