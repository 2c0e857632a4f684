/**
 * The network's programme, structured by hand from the source page
 * ("U.S.-China: Coal Regions and the Energy Transition Track 2 Dialogues", kept in the
 * project's shared folder as track2-dialogues-page.txt). English and Chinese texts are the
 * page's own; where the page gives no Chinese text (the network's goals, the 2021–2022
 * dialogues' series title) we translated it and say so beside the entry.
 * The app never reads the source page at run time.
 */

export interface RegionSeed {
  slug: string;
  nameEn: string;
  nameZh: string;
  country: "US" | "CN";
}

export const regions: RegionSeed[] = [
  { slug: "wyoming", nameEn: "Wyoming", nameZh: "怀俄明州", country: "US" },
  { slug: "west-virginia", nameEn: "West Virginia", nameZh: "西弗吉尼亚州", country: "US" },
  { slug: "shanxi", nameEn: "Shanxi", nameZh: "山西省", country: "CN" },
  { slug: "inner-mongolia", nameEn: "Inner Mongolia", nameZh: "内蒙古自治区", country: "CN" },
  { slug: "shaanxi", nameEn: "Shaanxi", nameZh: "陕西省", country: "CN" },
];

export interface DialogueSeed {
  slug: string;
  kind: "dialogue" | "study";
  titleEn: string;
  titleZh: string;
  abstractEn: string;
  abstractZh: string;
  status: "scheduled" | "tbd" | "held";
  /** Exact start in UTC, when the page gives a time (it gives none so far). */
  startsAt?: string;
  /** The day, YYYY-MM-DD (U.S. Eastern), when only the day is known. */
  startsOn?: string;
  periodStart?: string;
  periodEnd?: string;
  dateNoteEn?: string;
  dateNoteZh?: string;
  eventNoteEn?: string;
  eventNoteZh?: string;
  /** Who may learn who said what (set on creation; admins change it later). */
  attributionLevel?: "on_record" | "chatham_house" | "off_the_record";
  regions: string[];
}

export interface SeriesSeed {
  slug: string;
  titleEn: string;
  titleZh: string;
  summaryEn: string;
  summaryZh: string;
  startYear: number;
  endYear: number;
  dialogues: DialogueSeed[];
}

const allRegions = regions.map((r) => r.slug);

export const series: SeriesSeed[] = [
  {
    slug: "track-2-dialogues-2021-2022",
    titleEn: "U.S.-China Coal Regions and Energy Transition Track 2 Dialogues",
    // The page gives "第二轨对话"; the full name is the page's own wording from its 背景 section.
    titleZh: "中美煤炭地区及能源转型第二轨对话",
    summaryEn:
      "Beginning in 2021 JHCGA began the U.S.-China Coal Regions and Energy Transition Track 2 dialogues.",
    summaryZh: "从2021年开始,JHCGA开启了中美煤炭地区及能源转型第二轨对话。",
    startYear: 2021,
    endYear: 2022,
    dialogues: [
      {
        slug: "2021-dialogue-1-coal-economy-overview",
        kind: "dialogue",
        // The Track 2 sessions were held under the Chatham House Rule.
        attributionLevel: "chatham_house",
        titleEn: "Dialogue #1: U.S. – China Coal Economy Overview: Understanding the Key Challenges",
        titleZh: "对话 #1:美中煤炭经济概览:理解关键挑战",
        abstractEn: "",
        abstractZh: "",
        status: "held",
        periodStart: "2021",
        periodEnd: "2022",
        regions: allRegions,
      },
      {
        slug: "2021-dialogue-2-communities-diversification",
        kind: "dialogue",
        // The Track 2 sessions were held under the Chatham House Rule.
        attributionLevel: "chatham_house",
        titleEn: "Dialogue #2: U.S. – China Coal Communities and Economic Diversification Strategies",
        titleZh: "对话 #2:美中煤炭社区及经济多元化策略",
        abstractEn: "",
        abstractZh: "",
        status: "held",
        periodStart: "2021",
        periodEnd: "2022",
        regions: allRegions,
      },
      {
        slug: "2022-dialogue-3-role-of-business",
        kind: "dialogue",
        // The Track 2 sessions were held under the Chatham House Rule.
        attributionLevel: "chatham_house",
        titleEn: "Dialogue #3: The Role of Business in the Energy Transition",
        titleZh: "对话 #3:企业在能源转型中的作用",
        abstractEn: "",
        abstractZh: "",
        status: "held",
        periodStart: "2021",
        periodEnd: "2022",
        regions: allRegions,
      },
    ],
  },
  {
    slug: "just-transition-study-2022-2023",
    titleEn: "Just Transition Study",
    titleZh: "公正转型研究",
    summaryEn:
      "The Track 2 Network's work continued in 2022 via a Just Transition Study conducted from August 2022 to December 2023.",
    summaryZh: "第二轨网络的工作在2022年通过一项公正转型研究继续进行,该研究从2022年8月持续到2023年12月。",
    startYear: 2022,
    endYear: 2023,
    dialogues: [
      {
        slug: "just-transition-study",
        kind: "study",
        titleEn: "Just Transition Study",
        titleZh: "公正转型研究",
        abstractEn:
          "The Track 2 Network's work continued in 2022 via a Just Transition Study conducted from August 2022 to December 2023. Focused on U.S. coal-producing regions, specifically Wyoming and West Virginia, the study aims to better understand through research, interviews, conferences, and surveys at state and the local level progress in implementing the just transition for communities and workers impacted by the decline of coal.",
        abstractZh:
          "第二轨网络的工作在2022年通过一项公正转型研究继续进行,该研究从2022年8月持续到2023年12月。研究聚焦于美国的煤炭生产区,特别是怀俄明州和西弗吉尼亚州,旨在通过在州和地方层面进行的研究、访谈、会议和调查,更好地理解在煤炭衰退影响下的社区和工人实施公正转型的进展情况。",
        status: "held",
        periodStart: "2022-08",
        periodEnd: "2023-12",
        regions: ["wyoming", "west-virginia"],
      },
    ],
  },
  {
    slug: "subnational-just-transition-2024-2025",
    titleEn: "U.S.-China Subnational Just Transition Implementation Strategies",
    titleZh: "怀俄明州、西弗吉尼亚州和山西省公正转型实施策略",
    summaryEn: "",
    summaryZh: "",
    startYear: 2024,
    endYear: 2025,
    dialogues: [
      {
        slug: "2024-09-23-economic-diversification",
        kind: "dialogue",
        titleEn:
          "Just Transition and Economic Diversification Strategies for Coal-Producing Regions in the U.S. and China",
        titleZh: "推进美国和中国煤炭生产区域的公正转型与经济多样化",
        abstractEn:
          "For the globe to act on climate, the U.S. and China must lead. In the U.S., Wyoming and West Virginia are the largest producers of coal, the most carbon-intensive fossil fuel. In China, Shanxi, Inner Mongolia and Shaanxi, located in Northwest China, are the largest coal producing regions, producing around three billion tons per year between the three provinces, accounting for 2/3 of the nationwide production. Put together, Wyoming, West Virginia, and China’s northwest regions represent nearly 35% of global coal production. The transformation of these regions into clean energy producers through new economic diversification strategies can play a critical role in changing the trajectory of global carbon emissions. Building economic diversification is a central pillar that can support good jobs, thriving communities, and a just transition. This dialogue will analyze and explore economic diversification plans and future key industries for Shanxi compared and contrasted with case studies, experiences, and efforts underway in Wyoming and West Virginia.",
        abstractZh:
          "为了全球应对气候变化,美国和中国必须发挥领导作用。在美国,怀俄明州和西弗吉尼亚州是最大的煤炭生产地,煤炭是碳排放最集中的化石燃料。在中国,山西、内蒙古和陕西位于中国西北部,是最大的煤炭生产地区,三省每年合计生产约30亿吨煤炭,占全国总产量的三分之二。怀俄明州、西弗吉尼亚州和中国西北地区加起来,占全球煤炭产量的近35%。通过新的经济多元化战略,将这些地区转型为清洁能源生产者,可以在改变全球碳排放轨迹方面发挥关键作用。经济多元化的建设是支持这些地区创造优质就业、繁荣社区和实现公正转型的重要支柱。此次对话将分析和探讨山西的经济多元化计划和未来关键产业,并与怀俄明州和西弗吉尼亚州的案例研究、经验和正在进行的努力进行对比",
        status: "scheduled",
        startsOn: "2024-09-23",
        eventNoteEn: "During Climate Week NYC",
        eventNoteZh: "气候周纽约期间",
        regions: allRegions,
      },
      {
        slug: "2024-12-climate-finance",
        kind: "dialogue",
        titleEn: "Climate Finance and Subnational Approaches",
        titleZh: "美国和中国的气候融资与煤炭产区",
        abstractEn: "Further details coming. To inquire to participate in this dialogue, contact us.",
        abstractZh: "更多详细信息即将发布。如有意参与此次对话,请联系我们。",
        status: "tbd",
        dateNoteEn: "Early December, date to be decided",
        dateNoteZh: "12月上旬,具体时间待定",
        regions: allRegions,
      },
      {
        slug: "2025-dialogue-3",
        kind: "dialogue",
        titleEn: "Dialogue #3",
        titleZh: "对话 #3",
        abstractEn: "",
        abstractZh: "",
        status: "tbd",
        dateNoteEn: "To be scheduled",
        dateNoteZh: "待安排",
        regions: allRegions,
      },
    ],
  },
];

/** Demo accounts, seeded only on the embedded (local evaluation) database. */
export const demoPassword = "JustTransition!2026";
export const demoAccounts = [
  { email: "admin@example.org", displayName: "Alex Admin", organisation: "Coal Regions Network", region: "west-virginia", role: "admin", locale: "en" },
  { email: "moderator@example.org", displayName: "Morgan Moderator", organisation: "University of Wyoming", region: "wyoming", role: "moderator", locale: "en" },
  { email: "member.us@example.org", displayName: "Dana Miller", organisation: "West Virginia Workforce Board", region: "west-virginia", role: "member", locale: "en" },
  { email: "member.cn@example.org", displayName: "李明 Li Ming", organisation: "山西省能源研究院", region: "shanxi", role: "member", locale: "zh" },
] as const;
