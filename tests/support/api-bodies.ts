/*
 * The JSON bodies of the API contract (ARCHITECTURE.md, "API contract") as a
 * client reads them: what the integration and e2e tests read from an answer.
 */

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Present on answers from a function, absent on API Gateway's own. */
  requestId?: string;
  /** The offending fields of a 400. */
  errors?: { path: string; message: string }[];
}

export interface TriageSignalBody {
  kind: string;
  phrase: string;
}

export interface AnalysisBody {
  status: 'complete' | 'pending' | 'failed';
  language: string | null;
  sentiment: {
    label: 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'MIXED';
    scores: Record<'positive' | 'negative' | 'neutral' | 'mixed', number>;
  } | null;
  keyPhrases: string[];
  urgent: boolean;
  redactions: { type: string; count: number }[];
  signals: { priority: TriageSignalBody[]; category: TriageSignalBody[] };
}

export interface TicketBody {
  id: string;
  subject: string;
  description: string;
  status: string;
  priority: string;
  category: string;
  tags: string[];
  requester: { id: string; email: string | null };
  assigneeId: string | null;
  channel: string;
  analysis: AnalysisBody;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** What the caller may see: a customer's count leaves internal notes out. */
  commentCount: number;
  lastCommentAt: string | null;
  firstResponseAt: string | null;
  sla: {
    firstResponseDueAt: string;
    resolutionDueAt: string;
    pausedSince: string | null;
    breached: ('firstResponse' | 'resolution')[];
  };
}

export interface HistoryEntryBody {
  version: number;
  at: string;
  /** The comment that made the change, when a comment did. */
  commentId?: string;
  by: { id: string; role: 'customer' | 'agent' | 'system' };
  changes: { field: string; from: unknown; to: unknown }[];
}

export interface TicketWithHistoryBody extends TicketBody {
  history: HistoryEntryBody[];
}

export interface TicketPageBody {
  items: TicketBody[];
  nextCursor: string | null;
}

export interface CommentBody {
  id: string;
  ticketId: string;
  author: { id: string; role: 'customer' | 'agent' };
  body: string;
  visibility: 'public' | 'internal';
  createdAt: string;
  analysis: Pick<AnalysisBody, 'status' | 'language' | 'sentiment' | 'redactions'>;
}

export interface CommentPageBody {
  items: CommentBody[];
  nextCursor: string | null;
}
