/**
 * Members' names as readers see them. The placeholder that stands for every deleted member
 * (app/utils/deleted-member.ts) has no name: wherever a name would show, readers get
 * "Deleted member" / "已删除的成员" in their own language, and no link to a profile.
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isDeletedMember } from "~/utils/deleted-member";

/** `name(displayName)`: the name, or the deleted-member label when there is none. */
export function useMemberName(): (displayName: string | null | undefined) => string {
  const { t } = useTranslation();
  return (displayName) => (displayName ? displayName : t("members.deleted"));
}

/** A member's name linking to their profile; plain text for a deleted member. */
export function MemberLink({ member, className }: { member: { id: string | null; displayName: string | null }; className?: string }) {
  const name = useMemberName();
  if (!member.id || isDeletedMember(member.id) || !member.displayName) {
    return <span className={className} data-deleted-member="">{name("")}</span>;
  }
  return <Link to={`/members/${member.id}`} className={className}>{member.displayName}</Link>;
}

/**
 * A speaker's name in a thread: their pseudonym ("Participant 3" / "参与者 3") when the reader may
 * not learn it (the payload then holds no name), else their name.
 */
export function useSpeakerName(): (speaker: { displayName: string | null; participant: number | null }) => string {
  const { t } = useTranslation();
  const name = useMemberName();
  return (speaker) => (speaker.displayName === null && speaker.participant !== null ? t("attribution.participant", { number: speaker.participant }) : name(speaker.displayName));
}
