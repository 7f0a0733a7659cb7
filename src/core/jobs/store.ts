import { randomUUID } from 'node:crypto';
import {
  jobParamsSchema,
  jobStateSchema,
  TERMINAL_JOB_STATES,
  type Job,
  type JobParams,
  type JobState,
} from '@shared/domain/job';
import { AppError, wireErrorSchema, type WireError } from '@shared/ipc/result';
import { transaction, type Database } from '../db/database';
import { z } from 'zod';
import { RESUMABLE_FAILURE_CODES } from './policy';
import { canTransition } from './stateMachine';

const sentInputSchema = z.record(z.string(), z.unknown());

export interface JobRecord {
  id: string;
  params: JobParams;
  state: JobState;
  kieTaskId: string | null;
  error: WireError | null;
  demo: boolean;
  callbackUrl: string | null;
  /** When KIE accepted the task (createTask answered, or a recovered task was attached). */
  acceptedAt: string | null;
  /** The createTask `input` as sent, to recognise the task in KIE's recorded `param`. */
  sentInput: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
  /**
   * When the user cleared it from the job list (null: listed). Only the list hides it: recovery,
   * the journal and the engine still see the job, and a change of state lists it again.
   */
  dismissedAt: string | null;
}

interface JobRow {
  id: string;
  params: string;
  state: string;
  kie_task_id: string | null;
  error: string | null;
  demo: number;
  callback_url: string | null;
  accepted_at: string | null;
  sent_input: string | null;
  created_at: string;
  updated_at: string;
  dismissed_at: string | null;
}

const COLUMNS =
  'id, params, state, kie_task_id, error, demo, callback_url, accepted_at, sent_input, created_at, updated_at, dismissed_at';

const sqlList = (states: readonly JobState[]): string => states.map((state) => `'${state}'`).join(', ');
/** Matches the partial index jobs_active word for word, so SQLite uses it. */
const ACTIVE_SQL = `state NOT IN (${sqlList(TERMINAL_JOB_STATES)})`;

export interface TransitionPatch {
  state: JobState;
  kieTaskId?: string;
  error?: WireError | null;
  callbackUrl?: string | null;
  acceptedAt?: string;
  sentInput?: Record<string, unknown>;
}

/** Durable jobs in SQLite; every transition is one checked transaction. */
export class JobStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  create(params: JobParams, demo: boolean): JobRecord {
    const at = this.now().toISOString();
    const record: JobRecord = {
      id: randomUUID(),
      params,
      state: 'queued',
      kieTaskId: null,
      error: null,
      demo,
      callbackUrl: null,
      acceptedAt: null,
      sentInput: null,
      createdAt: at,
      updatedAt: at,
      dismissedAt: null,
    };
    this.db
      .prepare(`INSERT INTO jobs (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        record.id,
        JSON.stringify(params),
        record.state,
        null,
        null,
        demo ? 1 : 0,
        null,
        null,
        null,
        at,
        at,
        null,
      );
    return record;
  }

  get(id: string): JobRecord | null {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
    return row ? fromRow(row) : null;
  }

  byTaskId(kieTaskId: string): JobRecord | null {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE kie_task_id = ?`).get(kieTaskId) as
      JobRow | undefined;
    return row ? fromRow(row) : null;
  }

  /**
   * What the job list shows, at most `limit`: the jobs still on their way first, then the ended
   * ones the user has not cleared, each newest first. Two index walks, so a long history of
   * cleared jobs costs nothing.
   */
  list(limit: number): JobRecord[] {
    const active = this.db
      .prepare(`SELECT ${COLUMNS} FROM jobs WHERE ${ACTIVE_SQL} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(limit) as unknown as JobRow[];
    const rest = limit - active.length;
    const ended =
      rest <= 0
        ? []
        : (this.db
            .prepare(
              `SELECT ${COLUMNS} FROM jobs WHERE dismissed_at IS NULL AND NOT (${ACTIVE_SQL})
               ORDER BY created_at DESC, id DESC LIMIT ?`,
            )
            .all(rest) as unknown as JobRow[]);
    return [...active, ...ended].map(fromRow);
  }

  /** Jobs that still have work to do, oldest first (FIFO on restart). */
  unfinished(): JobRecord[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM jobs WHERE ${ACTIVE_SQL} ORDER BY created_at, id`)
      .all() as unknown as JobRow[];
    return rows.map(fromRow);
  }

  /**
   * Hides listed jobs in one of `states` (all of them, or only `id`) from the list; returns the
   * ids hidden now. One statement: a job that moves on meanwhile is either hidden in its old
   * state or not at all, and its next change lists it again (see transition).
   */
  dismiss(states: readonly JobState[], id?: string): string[] {
    const at = this.now().toISOString();
    const where = `dismissed_at IS NULL AND state IN (${sqlList(states)})${id === undefined ? '' : ' AND id = ?'}`;
    const rows = this.db
      .prepare(`UPDATE jobs SET dismissed_at = ? WHERE ${where} RETURNING id`)
      .all(...(id === undefined ? [at] : [at, id])) as { id: string }[];
    return rows.map((row) => row.id);
  }

  /**
   * Jobs that ended without their image although KIE may have produced it: cancelled ("stop
   * waiting"), or failed on our side (timeout, network, download). Within KIE's result lifetime.
   */
  settledWithTask(maxAgeMs = 14 * 24 * 3600_000): JobRecord[] {
    const since = new Date(this.now().getTime() - maxAgeMs).toISOString();
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM jobs
         WHERE kie_task_id IS NOT NULL AND created_at >= ?
           AND (state = 'cancelled' OR (state = 'failed' AND json_extract(error, '$.code') IN (${RESUMABLE_FAILURE_CODES.map((code) => `'${code}'`).join(', ')})))
           AND NOT EXISTS (SELECT 1 FROM images WHERE images.job_id = jobs.id)
         ORDER BY created_at, id`,
      )
      .all(since) as unknown as JobRow[];
    return rows.map(fromRow);
  }

  /** Applies a transition if it is legal from the stored state; throws otherwise. */
  transition(id: string, patch: TransitionPatch): JobRecord {
    return transaction(this.db, () => {
      const current = this.get(id);
      if (!current) throw new AppError('NOT_FOUND', `Job ${id} does not exist.`);
      if (current.state !== patch.state && !canTransition(current.state, patch.state)) {
        throw new AppError('INTERNAL', `Illegal job transition ${current.state} → ${patch.state}.`, {
          jobId: id,
        });
      }
      const next: JobRecord = {
        ...current,
        state: patch.state,
        kieTaskId: patch.kieTaskId ?? current.kieTaskId,
        error: patch.error === undefined ? current.error : patch.error,
        callbackUrl: patch.callbackUrl === undefined ? current.callbackUrl : patch.callbackUrl,
        acceptedAt: patch.acceptedAt ?? current.acceptedAt,
        sentInput: patch.sentInput ?? current.sentInput,
        updatedAt: this.now().toISOString(),
        // A cleared job that moves on (a paid result arriving late) is news: it is listed again.
        dismissedAt: patch.state === current.state ? current.dismissedAt : null,
      };
      this.db
        .prepare(
          'UPDATE jobs SET state = ?, kie_task_id = ?, error = ?, callback_url = ?, accepted_at = ?, sent_input = ?, updated_at = ?, dismissed_at = ? WHERE id = ?',
        )
        .run(
          next.state,
          next.kieTaskId,
          next.error ? JSON.stringify(next.error) : null,
          next.callbackUrl,
          next.acceptedAt,
          next.sentInput ? JSON.stringify(next.sentInput) : null,
          next.updatedAt,
          next.dismissedAt,
          id,
        );
      return next;
    });
  }
}

export function jobToWire(record: JobRecord, imageIds: string[]): Job {
  return {
    id: record.id,
    params: record.params,
    state: record.state,
    kieTaskId: record.kieTaskId,
    error: record.error,
    demo: record.demo,
    imageIds,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function fromRow(row: JobRow): JobRecord {
  return {
    id: row.id,
    params: jobParamsSchema.parse(JSON.parse(row.params)),
    state: jobStateSchema.parse(row.state),
    kieTaskId: row.kie_task_id,
    error: row.error ? wireErrorSchema.parse(JSON.parse(row.error)) : null,
    demo: row.demo === 1,
    callbackUrl: row.callback_url,
    acceptedAt: row.accepted_at,
    sentInput: row.sent_input ? sentInputSchema.parse(JSON.parse(row.sent_input)) : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    dismissedAt: row.dismissed_at,
  };
}
