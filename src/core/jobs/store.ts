import { randomUUID } from 'node:crypto';
import { jobParamsSchema, jobStateSchema, type Job, type JobParams, type JobState } from '@shared/domain/job';
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
}

const COLUMNS =
  'id, params, state, kie_task_id, error, demo, callback_url, accepted_at, sent_input, created_at, updated_at';

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
    };
    this.db
      .prepare(`INSERT INTO jobs (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
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

  list(limit: number): JobRecord[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(limit) as unknown as JobRow[];
    return rows.map(fromRow);
  }

  /** Jobs that still have work to do, oldest first (FIFO on restart). */
  unfinished(): JobRecord[] {
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM jobs WHERE state NOT IN ('done', 'failed', 'cancelled', 'unknown-outcome') ORDER BY created_at, id`,
      )
      .all() as unknown as JobRow[];
    return rows.map(fromRow);
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
      };
      this.db
        .prepare(
          'UPDATE jobs SET state = ?, kie_task_id = ?, error = ?, callback_url = ?, accepted_at = ?, sent_input = ?, updated_at = ? WHERE id = ?',
        )
        .run(
          next.state,
          next.kieTaskId,
          next.error ? JSON.stringify(next.error) : null,
          next.callbackUrl,
          next.acceptedAt,
          next.sentInput ? JSON.stringify(next.sentInput) : null,
          next.updatedAt,
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
  };
}
