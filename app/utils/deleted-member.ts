/**
 * The one account that stands for every deleted member (GDPR Art. 17, PIPL Art. 47): when a
 * member deletes their account, the replies and comments that stay are re-attributed to it and
 * the member's own row is removed (app/models/accounts/deletion.server.ts). It has no email
 * anyone can use, no password, no name: readers see "Deleted member" / "已删除的成员" in their
 * own language (`members.deleted`), never a stored name. Shared by server and browser.
 */
export const DELETED_MEMBER_ID = "deleted-member";

/** Whether an author or actor id is the deleted-member placeholder. */
export function isDeletedMember(id: string | null | undefined): boolean {
  return id === DELETED_MEMBER_ID;
}

/**
 * What stands in a text where a deleted member's name was (a quote's "… wrote:", an @mention,
 * a thanks): the reader's-language label `members.deleted` cannot be chosen for stored text, so
 * the text's own language decides (Chinese when the surrounding text has Han characters).
 * Must equal `members.deleted` in public/locales/{en,zh}/common.json (a unit test checks).
 */
export const DELETED_MEMBER_LABEL = { en: "Deleted member", zh: "已删除的成员" } as const;
