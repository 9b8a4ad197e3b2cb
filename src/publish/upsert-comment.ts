/** One comment as a code host lists it. */
export interface HostedComment {
  id: number;
  body: string;
}

/** The comments of one pull request or merge request, as a code host's API offers them. */
export interface CommentThread {
  /** One page of comments, oldest first; fewer than `perPage` means the last page. */
  list(page: number, perPage: number): Promise<HostedComment[]>;
  create(body: string): Promise<HostedComment>;
  update(id: number, body: string): Promise<HostedComment>;
}

/** What `upsertComment` did. */
export interface UpsertResult {
  action: 'created' | 'updated';
  id: number;
}

const PER_PAGE = 100;
/** Pages read before giving up the search (10,000 comments). */
const MAX_PAGES = 100;

/**
 * Keeps one comment per pull request: the first comment whose body holds `marker` (a hidden HTML
 * comment) is updated, else one is created. Later runs therefore edit the same comment instead of
 * adding another.
 */
export async function upsertComment(thread: CommentThread, marker: string, body: string): Promise<UpsertResult> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const comments = await thread.list(page, PER_PAGE);
    const mine = comments.find((c) => c.body.includes(marker));
    if (mine) return { action: 'updated', id: (await thread.update(mine.id, body)).id };
    if (comments.length < PER_PAGE) break;
  }
  return { action: 'created', id: (await thread.create(body)).id };
}
