/**
 * Idempotent seed: regions, the programme (series, dialogues, one discussion thread per
 * dialogue) and, only when asked (the embedded local database), the demo accounts.
 * Rows are matched by slug / email, so running it again adds nothing and keeps ids.
 */
import type { PrismaClient } from "@prisma/client";
import { newId } from "../app/utils/ids.server";
import { hashPassword } from "../app/utils/password.server";
import { demoAccounts, demoPassword, regions, series } from "./seed-data";
import { seedDemoOutcomes } from "./seed-outcomes";
import { seedDemoConversation } from "./seed-conversation";
import { seedDemoSurvey } from "./seed-surveys";

export interface SeedOptions {
  /** Create the demo accounts (local evaluation only; never on a deployment). */
  demoAccounts: boolean;
}

export async function seedDatabase(prisma: PrismaClient, options: SeedOptions) {
  const regionIds = new Map<string, string>();
  for (const [position, region] of regions.entries()) {
    const row = await prisma.region.upsert({
      where: { slug: region.slug },
      create: { id: newId(), position, ...region },
      update: { nameEn: region.nameEn, nameZh: region.nameZh, country: region.country, position },
    });
    regionIds.set(region.slug, row.id);
  }

  for (const [seriesPosition, s] of series.entries()) {
    const { dialogues, ...fields } = s;
    const seriesRow = await prisma.series.upsert({
      where: { slug: s.slug },
      create: { id: newId(), position: seriesPosition, ...fields },
      update: { ...fields, position: seriesPosition },
    });
    for (const [position, d] of dialogues.entries()) {
      const { regions: regionSlugs, startsAt, ...dialogueFields } = d;
      const data = { ...dialogueFields, startsAt: startsAt ? new Date(startsAt) : null, seriesId: seriesRow.id, position };
      const dialogue = await prisma.dialogue.upsert({
        where: { slug: d.slug },
        create: { id: newId(), ...data },
        // Only the page's texts are refreshed; dates and status an admin may have set are kept.
        update: { titleEn: d.titleEn, titleZh: d.titleZh, abstractEn: d.abstractEn, abstractZh: d.abstractZh },
      });
      await prisma.dialogueRegion.createMany({
        data: regionSlugs.map((slug) => ({ dialogueId: dialogue.id, regionId: regionIds.get(slug)! })),
        skipDuplicates: true,
      });
      const hasThread = await prisma.thread.findFirst({ where: { dialogueId: dialogue.id }, select: { id: true } });
      if (!hasThread) {
        await prisma.thread.create({
          data: { id: newId(), dialogueId: dialogue.id, titleEn: d.titleEn, titleZh: d.titleZh },
        });
      }
    }
  }

  if (options.demoAccounts) {
    const passwordHash = await hashPassword(demoPassword);
    for (const account of demoAccounts) {
      const { region, ...fields } = account;
      await prisma.user.upsert({
        where: { email: account.email },
        create: { id: newId(), ...fields, passwordHash, regionId: regionIds.get(region) ?? null },
        update: {},
      });
    }
    await seedDemoOutcomes(prisma);
    await seedDemoConversation(prisma);
    await seedDemoSurvey(prisma);
  }

  return {
    regions: await prisma.region.count(),
    series: await prisma.series.count(),
    dialogues: await prisma.dialogue.count(),
    threads: await prisma.thread.count(),
  };
}
