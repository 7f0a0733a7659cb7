import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * Versioned migrations, applied in order inside one transaction each. Never edit a shipped
 * migration: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    params TEXT NOT NULL,
    state TEXT NOT NULL,
    kie_task_id TEXT UNIQUE,
    error TEXT,
    demo INTEGER NOT NULL DEFAULT 0,
    callback_url TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX jobs_created ON jobs (created_at DESC, id DESC);
  CREATE INDEX jobs_active ON jobs (state) WHERE state NOT IN ('done', 'failed', 'cancelled', 'unknown-outcome');

  CREATE TABLE images (
    id TEXT PRIMARY KEY,
    job_id TEXT REFERENCES jobs (id) ON DELETE SET NULL,
    kie_task_id TEXT,
    result_index INTEGER NOT NULL DEFAULT 0,
    params TEXT NOT NULL,
    rel_path TEXT NOT NULL UNIQUE,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    format TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  -- One file per KIE result: the guard that makes delivery exactly-once.
  CREATE UNIQUE INDEX images_task_result ON images (kie_task_id, result_index) WHERE kie_task_id IS NOT NULL;
  CREATE INDEX images_created ON images (created_at DESC, id DESC);
  CREATE INDEX images_job ON images (job_id);
  `,
  // 2: the gallery at 100k images. The images table is rebuilt (not altered) to get a stable
  // INTEGER PRIMARY KEY: the FTS index is keyed by rowid, and an implicit rowid may change on
  // VACUUM. model and aspect_ratio are stored generated columns: denormalised from params for
  // indexed filtering, and they cannot drift from it. Link tables copy the image's created_at
  // (immutable) so an album or tag page walks its own index in gallery order.
  `
  CREATE TABLE images_v2 (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    job_id TEXT REFERENCES jobs (id) ON DELETE SET NULL,
    kie_task_id TEXT,
    result_index INTEGER NOT NULL DEFAULT 0,
    params TEXT NOT NULL,
    rel_path TEXT NOT NULL UNIQUE,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    format TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    model TEXT GENERATED ALWAYS AS (coalesce(json_extract(params, '$.model'), '')) STORED,
    aspect_ratio TEXT GENERATED ALWAYS AS (coalesce(json_extract(params, '$.aspectRatio'), '')) STORED,
    origin TEXT NOT NULL DEFAULT 'generated' CHECK (origin IN ('generated', 'imported')),
    status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'missing')),
    favourite INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1)),
    rating INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
    parents TEXT NOT NULL DEFAULT '[]' CHECK (json_type(parents) = 'array'),
    file_mtime_ms INTEGER,
    file_size INTEGER,
    content_hash TEXT,
    trashed INTEGER NOT NULL DEFAULT 0 CHECK (trashed IN (0, 1))
  );
  INSERT INTO images_v2 (id, job_id, kie_task_id, result_index, params, rel_path, width, height, format, bytes, demo, created_at, file_size)
    SELECT id, job_id, kie_task_id, result_index, params, rel_path, width, height, format, bytes, demo, created_at, bytes
    FROM images ORDER BY created_at, id;
  DROP TABLE images;
  ALTER TABLE images_v2 RENAME TO images;

  CREATE UNIQUE INDEX images_task_result ON images (kie_task_id, result_index) WHERE kie_task_id IS NOT NULL;
  CREATE INDEX images_job ON images (job_id);
  -- Gallery order, one per common filter: each serves its page straight from the index, no sort.
  CREATE INDEX images_browse ON images (trashed, created_at, id);
  CREATE INDEX images_model ON images (trashed, model, created_at, id);
  CREATE INDEX images_aspect ON images (trashed, aspect_ratio, created_at, id);
  CREATE INDEX images_favourite ON images (trashed, created_at, id) WHERE favourite = 1;
  CREATE INDEX images_rated ON images (trashed, created_at, id) WHERE rating > 0;
  CREATE INDEX images_missing ON images (trashed, created_at, id) WHERE status = 'missing';
  CREATE INDEX images_imported ON images (trashed, created_at, id) WHERE origin = 'imported';
  CREATE INDEX images_demo ON images (trashed, created_at, id) WHERE demo = 1;
  CREATE INDEX images_hash ON images (content_hash) WHERE content_hash IS NOT NULL;

  CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
  );
  CREATE TABLE image_tags (
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    image_created_at TEXT NOT NULL,
    PRIMARY KEY (tag_id, image_id)
  ) WITHOUT ROWID;
  CREATE INDEX image_tags_order ON image_tags (tag_id, image_created_at, image_id);
  CREATE INDEX image_tags_image ON image_tags (image_id);

  CREATE TABLE albums (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE album_images (
    album_id TEXT NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    image_created_at TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (album_id, image_id)
  ) WITHOUT ROWID;
  CREATE INDEX album_images_order ON album_images (album_id, image_created_at, image_id);
  CREATE INDEX album_images_image ON album_images (image_id);

  CREATE TABLE trash (
    image_id TEXT PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
    trashed_at TEXT NOT NULL,
    original_rel_path TEXT NOT NULL,
    trash_rel_path TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX trash_order ON trash (trashed_at, image_id);

  -- Reverse lookup of images.parents (the JSON array stays the ordered source of truth).
  CREATE TABLE image_lineage (
    child_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    parent_id TEXT NOT NULL,
    PRIMARY KEY (child_id, parent_id)
  ) WITHOUT ROWID;
  CREATE INDEX image_lineage_parent ON image_lineage (parent_id);
  INSERT OR IGNORE INTO image_lineage (child_id, parent_id)
    SELECT images.id, parent.value FROM images, json_each(images.parents) AS parent;

  CREATE TRIGGER images_lineage_insert AFTER INSERT ON images BEGIN
    INSERT OR IGNORE INTO image_lineage (child_id, parent_id) SELECT NEW.id, value FROM json_each(NEW.parents);
  END;
  CREATE TRIGGER images_lineage_update AFTER UPDATE OF parents ON images BEGIN
    DELETE FROM image_lineage WHERE child_id = NEW.id;
    INSERT OR IGNORE INTO image_lineage (child_id, parent_id) SELECT NEW.id, value FROM json_each(NEW.parents);
  END;
  CREATE TRIGGER images_created_update AFTER UPDATE OF created_at ON images BEGIN
    UPDATE image_tags SET image_created_at = NEW.created_at WHERE image_id = NEW.id;
    UPDATE album_images SET image_created_at = NEW.created_at WHERE image_id = NEW.id;
  END;

  -- Full-text search, contentless (the text lives in the tables above) and kept in sync by the
  -- triggers below on every path that changes a document, cascades included. images_fts:
  -- trigram substring search over prompt, tags, album names and model, in any script.
  -- images_grams: the 1- and 2-character substrings of the same text (fts_grams(), registered by
  -- openDatabase), which trigrams cannot match; single tokens, so it needs no positions.
  CREATE VIRTUAL TABLE images_fts USING fts5 (
    prompt, tags, albums, model,
    content = '', contentless_delete = 1, tokenize = 'trigram remove_diacritics 1'
  );
  CREATE VIRTUAL TABLE images_grams USING fts5 (
    grams,
    content = '', contentless_delete = 1, detail = none, tokenize = 'trigram remove_diacritics 1'
  );
  CREATE VIEW images_fts_document AS
    SELECT
      i.seq AS seq,
      coalesce(json_extract(i.params, '$.prompt'), '') AS prompt,
      coalesce((SELECT group_concat(t.name, ' ') FROM image_tags it JOIN tags t ON t.id = it.tag_id WHERE it.image_id = i.id), '') AS tags,
      coalesce((SELECT group_concat(a.name, ' ') FROM album_images ai JOIN albums a ON a.id = ai.album_id WHERE ai.image_id = i.id), '') AS albums,
      i.model AS model
    FROM images i;
  -- Inserting an image's seq here re-indexes that image: the one place that builds a document.
  CREATE VIEW images_fts_reindex AS SELECT seq FROM images;
  CREATE TRIGGER images_fts_reindex_row INSTEAD OF INSERT ON images_fts_reindex BEGIN
    DELETE FROM images_fts WHERE rowid = NEW.seq;
    DELETE FROM images_grams WHERE rowid = NEW.seq;
    INSERT INTO images_fts (rowid, prompt, tags, albums, model)
      SELECT seq, prompt, tags, albums, model FROM images_fts_document WHERE seq = NEW.seq;
    INSERT INTO images_grams (rowid, grams)
      SELECT seq, fts_grams(prompt || char(10) || tags || char(10) || albums || char(10) || model)
      FROM images_fts_document WHERE seq = NEW.seq;
  END;
  INSERT INTO images_fts_reindex (seq) SELECT seq FROM images;

  CREATE TRIGGER images_fts_insert AFTER INSERT ON images BEGIN
    INSERT INTO images_fts_reindex (seq) VALUES (NEW.seq);
  END;
  CREATE TRIGGER images_fts_update AFTER UPDATE OF params ON images BEGIN
    INSERT INTO images_fts_reindex (seq) VALUES (NEW.seq);
  END;
  CREATE TRIGGER images_fts_delete AFTER DELETE ON images BEGIN
    DELETE FROM images_fts WHERE rowid = OLD.seq;
    DELETE FROM images_grams WHERE rowid = OLD.seq;
  END;
  CREATE TRIGGER image_tags_fts_insert AFTER INSERT ON image_tags BEGIN
    INSERT INTO images_fts_reindex (seq) SELECT seq FROM images WHERE id = NEW.image_id;
  END;
  CREATE TRIGGER image_tags_fts_delete AFTER DELETE ON image_tags BEGIN
    INSERT INTO images_fts_reindex (seq) SELECT seq FROM images WHERE id = OLD.image_id;
  END;
  CREATE TRIGGER album_images_fts_insert AFTER INSERT ON album_images BEGIN
    INSERT INTO images_fts_reindex (seq) SELECT seq FROM images WHERE id = NEW.image_id;
  END;
  CREATE TRIGGER album_images_fts_delete AFTER DELETE ON album_images BEGIN
    INSERT INTO images_fts_reindex (seq) SELECT seq FROM images WHERE id = OLD.image_id;
  END;
  CREATE TRIGGER albums_fts_rename AFTER UPDATE OF name ON albums BEGIN
    INSERT INTO images_fts_reindex (seq)
      SELECT i.seq FROM album_images ai JOIN images i ON i.id = ai.image_id WHERE ai.album_id = NEW.id;
  END;
  CREATE TRIGGER tags_fts_rename AFTER UPDATE OF name ON tags BEGIN
    INSERT INTO images_fts_reindex (seq)
      SELECT i.seq FROM image_tags it JOIN images i ON i.id = it.image_id WHERE it.tag_id = NEW.id;
  END;
  `,
  // 3: reference images for image-to-image. The files live in <dataDir>/staging/<sha256>.<ext>;
  // this index keeps what was learned about each (format, size, where it came from) and its
  // latest KIE upload, so an upload is reused across restarts while KIE still has it.
  // kie_upload_target is the upload service it went to: a URL from the Demo simulator is no
  // use to KIE, and the other way round.
  `
  CREATE TABLE references_staged (
    id TEXT PRIMARY KEY CHECK (length(id) = 32),
    sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    format TEXT NOT NULL CHECK (format IN ('png', 'jpeg', 'webp')),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    name TEXT NOT NULL,
    gallery_image_id TEXT,
    kie_url TEXT,
    kie_url_uploaded_at TEXT,
    kie_upload_target TEXT,
    created_at TEXT NOT NULL
  );
  `,
  // 4: what a job needs to prove a task is its own (recovering an unknown outcome) and when KIE
  // took it (the deadline counts from there, not from queueing). sent_input is the createTask
  // input as sent (uploaded reference URLs included), compared with the `param` KIE recorded.
  `
  ALTER TABLE jobs ADD COLUMN accepted_at TEXT;
  ALTER TABLE jobs ADD COLUMN sent_input TEXT;
  `,
  // 5: the callback URL held the path's secret token; only its origin is kept now (the token is
  // in the secret store, and a diagnostics bundle copies this table). 'https://host/cb/tok' →
  // 'https://host'.
  `
  UPDATE jobs SET callback_url = substr(
    callback_url, 1,
    instr(callback_url, '://') + 1 + instr(substr(callback_url, instr(callback_url, '://') + 3), '/')
  )
  WHERE instr(callback_url, '://') > 0
    AND instr(substr(callback_url, instr(callback_url, '://') + 3), '/') > 0;
  `,
  // 6: the gallery sorted by rating and by model, each walked from its own index (no sort step,
  // so a page costs the same at any depth). model_order is the model sort's key, virtual (kept
  // only in its index): an image of unknown model keys as '', after every model id when read
  // largest first. modelSortKey (shared/domain/image.ts) mirrors it. images_model_rated serves
  // the model sort of rated images (★ n and up), as images_rated does for the date sorts.
  `
  ALTER TABLE images ADD COLUMN model_order TEXT GENERATED ALWAYS AS (CASE model WHEN 'unknown' THEN '' ELSE model END) VIRTUAL;
  CREATE INDEX images_rating_order ON images (trashed, rating, created_at, id);
  CREATE INDEX images_model_order ON images (trashed, model_order, created_at, id);
  CREATE INDEX images_model_rated ON images (trashed, model_order, created_at, id) WHERE rating > 0;
  `,
  // 7: how many frames a staged reference has (an animated WebP has more than one: only the
  // first is used, and the tray says so). NULL for files staged before: read again when re-added.
  `
  ALTER TABLE references_staged ADD COLUMN frames INTEGER CHECK (frames >= 1);
  `,
  // 8: "Clear" in the job list hides a finished job instead of deleting it: the row (a paid task's
  // record) stays for recovery, the journal and the kill bench. The list walks its own index.
  `
  ALTER TABLE jobs ADD COLUMN dismissed_at TEXT;
  CREATE INDEX jobs_listed ON jobs (created_at DESC, id DESC) WHERE dismissed_at IS NULL;
  `,
  // 9: references with marks drawn on them. The marked copy is a staged reference of its own (the
  // file KIE gets); this row says which staged reference it was drawn on and keeps the marks as
  // data, so the editor can open the original with its marks again. An original stays staged as
  // long as a copy of it does (see sweepStagedReferences).
  `
  CREATE TABLE reference_annotations (
    id TEXT PRIMARY KEY REFERENCES references_staged (id) ON DELETE CASCADE,
    original_id TEXT NOT NULL REFERENCES references_staged (id),
    marks TEXT NOT NULL CHECK (json_valid(marks)),
    created_at TEXT NOT NULL,
    CHECK (id <> original_id)
  );
  CREATE INDEX reference_annotations_original ON reference_annotations (original_id);
  `,
  // 10: A/B runs. A run's jobs and images carry its tag in params ($.run, see shared/domain/run.ts);
  // these partial indexes serve "the images (or jobs) of run X" without touching any other row.
  `
  CREATE INDEX images_run ON images (json_extract(params, '$.run.id'), created_at, id)
    WHERE json_extract(params, '$.run.id') IS NOT NULL;
  CREATE INDEX jobs_run ON jobs (json_extract(params, '$.run.id'), created_at, id)
    WHERE json_extract(params, '$.run.id') IS NOT NULL;
  `,
];

export type Database = DatabaseSync;

export function openDatabase(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
  );
  // 32 MiB of page cache (default 2 MiB): the hot indexes of a 100k-image library stay in memory.
  db.exec('PRAGMA cache_size = -32768');
  registerFunctions(db);
  migrate(db);
  return db;
}

/** SQL functions the schema's triggers call: every connection that writes must have them. */
function registerFunctions(db: Database): void {
  db.function('fts_grams', { deterministic: true }, (text) =>
    typeof text === 'string' ? ftsGrams(text) : '',
  );
}

/** Pads a short gram to three characters; never part of indexed text or of a query term. */
export const GRAM_PAD = '\u{E000}';

/**
 * The distinct 1- and 2-character substrings of `text` that hold no whitespace, each padded to
 * three characters ("猫" → "猫··", "香蕉" → "香蕉·"). Indexed by the trigram tokenizer, each gram
 * is one token, and since every third character is a pad, no window of the gram text matches
 * a pad-free query of three or more characters: a short term matches exactly the documents
 * that contain it, in any script, through the index.
 */
export function ftsGrams(text: string): string {
  const grams = new Set<string>();
  for (const word of text.replaceAll(GRAM_PAD, ' ').split(/\s+/u)) {
    let previous = '';
    for (const char of word) {
      grams.add(char + GRAM_PAD + GRAM_PAD);
      if (previous !== '') grams.add(previous + char + GRAM_PAD);
      previous = char;
    }
  }
  return Array.from(grams).join('');
}

function migrate(db: Database): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  const current = row?.user_version ?? 0;
  for (let version = current; version < MIGRATIONS.length; version += 1) {
    transaction(db, () => {
      db.exec(MIGRATIONS[version] ?? '');
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}

/**
 * Runs `fn` in one transaction: every state transition is all-or-nothing. Inside another
 * transaction it becomes a savepoint, so bulk operations compose.
 */
export function transaction<T>(db: Database, fn: () => T): T {
  if (db.isTransaction) {
    db.exec('SAVEPOINT nested');
    try {
      const result = fn();
      db.exec('RELEASE nested');
      return result;
    } catch (error) {
      undo(db, 'ROLLBACK TO nested; RELEASE nested');
      throw error;
    }
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    undo(db, 'ROLLBACK');
    throw error;
  }
}

/**
 * Rolls back what a failed transaction did. SQLite may already have rolled it back itself (it
 * does on a full disk, SQLITE_FULL, and on I/O errors): then there is nothing to undo, and a
 * ROLLBACK would throw "no transaction is active" in place of the error that says what happened.
 */
function undo(db: Database, sql: string): void {
  if (!db.isTransaction) return;
  try {
    db.exec(sql);
  } catch {
    // The original error is the one worth reporting; the transaction is gone either way.
  }
}
