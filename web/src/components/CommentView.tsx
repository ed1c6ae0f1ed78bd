import type { Comment } from '../../../layers/shared/src/domain/comment-schema.js';
import { formatInstant } from '../format.js';
import { DescriptionText } from './DescriptionText.js';

/** One turn of the conversation; an agents' internal note is labelled and styled as such. */
export function CommentView({ comment }: { comment: Comment }) {
  const internal = comment.visibility === 'internal';
  return (
    <article class={internal ? 'comment internal' : 'comment'}>
      <header>
        <strong>{comment.author.id}</strong> <span class="muted">({comment.author.role})</span>{' '}
        <time dateTime={comment.createdAt}>{formatInstant(comment.createdAt)}</time>
        {internal && <span class="badge">Internal note</span>}
      </header>
      <DescriptionText text={comment.body} />
    </article>
  );
}
