/**
 * Reading the server-rendered pages the way a person does, through the markers the components
 * put on them (`data-testid`, `data-thread-id`, `data-reply-id`).
 */

/** The `<tr>` of a thread in a thread list (dialogue page, /network), or null. */
export function threadRow(html: string, threadId: string): string | null {
  const rows = html.match(/<tr[^>]*data-testid="thread-row"[^>]*>[\s\S]*?<\/tr>/g) ?? [];
  return rows.find((row) => row.includes(`data-thread-id="${threadId}"`)) ?? null;
}

/** The ids of the threads in a thread list, in order. */
export function threadIdsInList(html: string): string[] {
  return [...html.matchAll(/<tr[^>]*data-testid="thread-row"[^>]*data-thread-id="([^"]+)"/g)].map((m) => m[1]);
}

/** A thread row's unread badge (0 when there is none). */
export function unreadInRow(row: string): number {
  const match = /data-testid="unread-count"[^>]*>(\d+)</.exec(row);
  return match ? Number(match[1]) : 0;
}

/** A thread row's post count. */
export function replyCountInRow(row: string): number {
  const match = /<td class="num">(\d+)<\/td>/.exec(row);
  if (!match) throw new Error(`no post count in ${row.slice(0, 300)}`);
  return Number(match[1]);
}

/** The notification badge in the header (0 when there is none). */
export function badgeCount(html: string): number {
  const match = /data-testid="notification-count"[^>]*>(\d+)</.exec(html);
  return match ? Number(match[1]) : 0;
}

/** The replies on a thread page, in order: id, post number and whether a hidden notice shows. */
export function repliesOnPage(html: string): { id: string; postNumber: number; hiddenNotice: boolean }[] {
  const list = /<ol[^>]*data-testid="replies"[^>]*>/.exec(html);
  if (!list) return [];
  const openings = [...html.slice(list.index).matchAll(/<li[^>]*data-testid="reply"[^>]*>/g)];
  return openings.map((opening, i) => {
    // From this reply's opening tag to the next one's (or the end of the page).
    const item = html.slice(list.index + opening.index!, openings[i + 1] ? list.index + openings[i + 1].index! : undefined);
    return {
      id: /data-reply-id="([^"]+)"/.exec(opening[0])![1],
      postNumber: Number(/id="post-(\d+)"/.exec(opening[0])![1]),
      hiddenNotice: /data-testid="hidden-notice"/.test(item.split(/<a[^>]*class="pager"|data-testid="reply-form"|data-testid="locked-notice"/)[0]),
    };
  });
}

/** The "newer replies" and "older replies" links of a thread page, as paths (or null). */
export function pagerLinks(html: string): { newer: string | null; older: string | null } {
  const href = (param: string) => {
    const match = new RegExp(`<a[^>]*class="pager"[^>]*href="([^"]*\\?${param}=\\d+)"|<a[^>]*href="([^"]*\\?${param}=\\d+)"[^>]*class="pager"`).exec(html);
    return match ? (match[1] ?? match[2]).replace(/&amp;/g, "&") : null;
  };
  return { newer: href("after"), older: href("before") };
}

/** The notifications on /notifications: type and text. */
export function notificationsOnPage(html: string): { type: string; unread: boolean; html: string }[] {
  const items = html.match(/<li[^>]*data-testid="notification"[^>]*>[\s\S]*?<\/li>/g) ?? [];
  return items.map((item) => ({
    type: /data-type="([^"]+)"/.exec(item)![1],
    unread: /class="unread"/.test(item),
    html: item,
  }));
}

/** The reply ids in the /latest feed, newest first. */
export function feedReplyIds(html: string): string[] {
  return [...html.matchAll(/data-testid="feed-item"[^>]*data-reply-id="([^"]+)"/g)].map((m) => m[1]);
}

/** Splits a page at each opening tag that matches `opening`, from there to the next one. */
function sections(html: string, opening: RegExp): string[] {
  const starts = [...html.matchAll(new RegExp(opening.source, "g"))].map((m) => m.index!);
  return starts.map((start, i) => html.slice(start, starts[i + 1]));
}

/** The review queue on /moderation/review, in order: score and excerpt of each flagged reply. */
export function reviewItems(html: string): { score: number; excerpt: string; flags: number }[] {
  return sections(html, /<li[^>]*data-testid="review-item"/).map((item) => ({
    score: Number(/Score (\d+)/.exec(item)?.[1]),
    excerpt: /<blockquote[^>]*class="excerpt"[^>]*>([\s\S]*?)<\/blockquote>/.exec(item)?.[1] ?? "",
    flags: (item.match(/<ul class="plain-list">([\s\S]*?)<\/ul>/)?.[1].match(/<li/g) ?? []).length,
  }));
}

/** The staff action log on /moderation/log, newest first. */
export function staffLogRows(html: string): { action: string; when: string; who: string; what: string; why: string }[] {
  return (html.match(/<tr[^>]*data-testid="staff-action"[^>]*>[\s\S]*?<\/tr>/g) ?? []).map((row) => {
    const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]);
    const text = (cell: string) => cell.replace(/<!--[\s\S]*?-->/g, "").replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/&#x27;/g, "'").replace(/\s+/g, " ").trim();
    return {
      action: /data-action="([^"]+)"/.exec(row)![1],
      when: /datetime="([^"]+)"/i.exec(cells[0])?.[1] ?? "",
      who: text(cells[1]),
      what: text(cells[2]),
      why: text(cells[3]),
    };
  });
}
