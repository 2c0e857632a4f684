/**
 * The `test` every spec uses: the base URL of the server started by the global setup, a
 * Prisma client on the test database (to create members and threads directly, since the app
 * admits people by invitation only), and helpers to sign in through the UI.
 */
import { test as base, expect, type Page } from "@playwright/test";
import type { PrismaClient } from "@prisma/client";
import { createPrismaClient } from "~/db.server";
import { newId } from "~/utils/ids.server";
import { hashPassword } from "~/utils/password.server";

export interface Member {
  id: string;
  email: string;
  password: string;
  displayName: string;
}

interface WorkerFixtures {
  db: PrismaClient;
}

interface TestFixtures {
  /** Inserts a member (role `member`, locale `en` unless given) with a known password. */
  createMember: (options?: { displayName?: string; locale?: "en" | "zh"; role?: "member" | "moderator" | "admin" }) => Promise<Member>;
  /** Inserts a fresh discussion thread on the first dialogue; returns its id. */
  createThread: (title?: string) => Promise<string>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests through \`playwright test\` (the global setup sets it).`);
  return value;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  baseURL: async ({}, use) => use(required("E2E_BASE_URL")),

  db: [
    async ({}, use) => {
      const db = createPrismaClient(required("E2E_DATABASE_URL"));
      await use(db);
      await db.$disconnect();
    },
    { scope: "worker" },
  ],

  createMember: async ({ db }, use) => {
    await use(async (options = {}) => {
      const id = newId();
      const password = `e2e-pass-${id}`;
      const member: Member = {
        id,
        email: `e2e-${id}@example.org`,
        password,
        displayName: options.displayName ?? `Member ${id.slice(0, 6)}`,
      };
      await db.user.create({
        data: {
          id,
          email: member.email,
          passwordHash: await hashPassword(password),
          displayName: member.displayName,
          organisation: "E2E test",
          locale: options.locale ?? "en",
          role: options.role ?? "member",
        },
      });
      return member;
    });
  },

  createThread: async ({ db }, use) => {
    await use(async (title = "E2E thread") => {
      // A dialogue on the record (the seeded Track 2 sessions are held under the Chatham House Rule).
      const dialogue = await db.dialogue.findFirstOrThrow({ where: { attributionLevel: "on_record" }, orderBy: { position: "asc" }, select: { id: true } });
      const id = newId();
      await db.thread.create({ data: { id, dialogueId: dialogue.id, titleEn: title, titleZh: `${title}(中文)` } });
      return id;
    });
  },
});

/** Signs in through the form at /signin and waits until the header shows the member. */
export async function signIn(page: Page, member: Member): Promise<void> {
  await page.goto("/signin");
  await page.locator('input[name="email"]').fill(member.email);
  await page.locator('input[name="password"]').fill(member.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(member.displayName);
}

/** Resolves once the thread page's socket has joined the room. */
export async function waitUntilLive(page: Page): Promise<void> {
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
}

/**
 * Types into the reply editor once it has become the rich (Tiptap) editor, replacing what is
 * there. `fill` on the contenteditable sets the text as a person's typing would.
 */
export async function fillReply(page: Page, text: string): Promise<void> {
  await expect(page.locator('[data-testid="reply-editor"][data-editor="rich"]')).toBeVisible();
  await page.locator("#reply-body").fill(text);
}

export { expect };
