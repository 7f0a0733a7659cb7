import { randomUUID } from 'node:crypto';
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import { z } from 'zod';
import {
  imageFormatSchema,
  imageOriginSchema,
  imageRatingSchema,
  imageStatusSchema,
  type GalleryAlbum,
  type GalleryCursor,
  type GalleryPageCursor,
  type GalleryTag,
  type ImageFormat,
  type ImageOrigin,
  type ImageQuery,
  type ImageStatus,
} from '@shared/domain/image';
import { imageParamsSchema, type ImageParams } from '@shared/domain/image';
import { AppError } from '@shared/ipc/result';
import { GRAM_PAD, transaction, type Database } from '../db/database';
import { cursorOf, keyset, minRatingTerms, modelFilterColumn } from './sorting';

export interface ImageRecord {
  id: string;
  jobId: string | null;
  kieTaskId: string | null;
  resultIndex: number;
  params: ImageParams;
  relPath: string;
  width: number;
  height: number;
  format: ImageFormat;
  bytes: number;
  demo: boolean;
  createdAt: string;
  origin: ImageOrigin;
  status: ImageStatus;
  favourite: boolean;
  /** 1–5, 0 = not rated. */
  rating: number;
  /** Ids of the images this one was made from, in order (they may since have been purged). */
  parents: string[];
  /** Size and mtime of the file when last seen, for reconcile; null when never checked. */
  fileSize: number | null;
  fileMtimeMs: number | null;
  contentHash: string | null;
  trashed: boolean;
}

type DefaultedField =
  'origin' | 'status' | 'favourite' | 'rating' | 'parents' | 'fileSize' | 'fileMtimeMs' | 'contentHash';

/** What `insert` takes: the newer fields default (generated, ok, no rating, file size = bytes). */
export type NewImageRecord = Omit<ImageRecord, DefaultedField | 'trashed'> &
  Partial<Pick<ImageRecord, DefaultedField>>;

export interface ImagePage {
  items: ImageRecord[];
  /** Pass as `{ after: nextCursor }` for the following page; null at the end. */
  nextCursor: GalleryCursor | null;
  /** Pass as `{ before: prevCursor }` for the preceding page; null at the start. */
  prevCursor: GalleryCursor | null;
}

export interface TrashedImageRecord extends ImageRecord {
  trashedAt: string;
  originalRelPath: string;
  trashRelPath: string;
}

export interface TrashCursor {
  trashedAt: string;
  id: string;
}

export interface ImageFileEntry {
  id: string;
  relPath: string;
  fileSize: number | null;
  fileMtimeMs: number | null;
  status: ImageStatus;
  trashed: boolean;
}

export interface ImageFileInfo {
  fileSize: number | null;
  fileMtimeMs: number | null;
  contentHash?: string | null;
}

interface ImageRow {
  id: string;
  job_id: string | null;
  kie_task_id: string | null;
  result_index: number;
  params: string;
  rel_path: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  demo: number;
  created_at: string;
  origin: string;
  status: string;
  favourite: number;
  rating: number;
  parents: string;
  file_size: number | null;
  file_mtime_ms: number | null;
  content_hash: string | null;
  trashed: number;
}

interface TrashRow extends ImageRow {
  trashed_at: string;
  original_rel_path: string;
  trash_rel_path: string;
}

const COLUMN_NAMES = [
  'id',
  'job_id',
  'kie_task_id',
  'result_index',
  'params',
  'rel_path',
  'width',
  'height',
  'format',
  'bytes',
  'demo',
  'created_at',
  'origin',
  'status',
  'favourite',
  'rating',
  'parents',
  'file_size',
  'file_mtime_ms',
  'content_hash',
  'trashed',
] as const;
const COLUMNS = COLUMN_NAMES.join(', ');
const I_COLUMNS = COLUMN_NAMES.map((name) => `i.${name}`).join(', ');
const INSERT_COLUMNS = COLUMN_NAMES.filter((name) => name !== 'trashed');

const TAG_MAX_CHARS = 64;
const ALBUM_NAME_MAX_CHARS = 200;
const MAX_SEARCH_TERMS = 16;
const STATEMENT_CACHE_SIZE = 64;

const parentsSchema = z.array(z.string());

/**
 * The gallery index in SQLite: images, tags, albums, trash, lineage and full-text search. Rows
 * are parsed on the way out (the file is a boundary). Pages are keyset-paged by the sort's key
 * (sorting.ts) and served from an index in that order, so any page costs the same at any depth.
 */
export class ImageIndex {
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly dynamic = new Map<string, StatementSync>();

  constructor(private readonly db: Database) {
    this.statements = prepareStatements(db);
  }

  /** Inserts unless this KIE result is already in the library; returns the stored record either way. */
  insert(input: NewImageRecord): { record: ImageRecord; inserted: boolean } {
    if (input.kieTaskId !== null) {
      const existing = this.byTaskResult(input.kieTaskId, input.resultIndex);
      if (existing) return { record: existing, inserted: false };
    }
    const record = withDefaults(input);
    this.statements.insert.run(
      record.id,
      record.jobId,
      record.kieTaskId,
      record.resultIndex,
      JSON.stringify(record.params),
      record.relPath,
      record.width,
      record.height,
      record.format,
      record.bytes,
      record.demo ? 1 : 0,
      record.createdAt,
      record.origin,
      record.status,
      record.favourite ? 1 : 0,
      record.rating,
      JSON.stringify(record.parents),
      record.fileSize,
      record.fileMtimeMs,
      record.contentHash,
    );
    return { record, inserted: true };
  }

  /** Any image, trashed or not. */
  get(id: string): ImageRecord | null {
    const row = this.statements.get.get(id) as ImageRow | undefined;
    return row ? fromRow(row) : null;
  }

  byTaskResult(kieTaskId: string, resultIndex: number): ImageRecord | null {
    const row = this.statements.byTaskResult.get(kieTaskId, resultIndex) as ImageRow | undefined;
    return row ? fromRow(row) : null;
  }

  byRelPath(relPath: string): ImageRecord | null {
    const row = this.statements.byRelPath.get(relPath) as ImageRow | undefined;
    return row ? fromRow(row) : null;
  }

  byContentHash(contentHash: string): ImageRecord[] {
    return (this.statements.byContentHash.all(contentHash) as unknown as ImageRow[]).map(fromRow);
  }

  idsForJob(jobId: string): string[] {
    const rows = this.statements.idsForJob.all(jobId) as unknown as { id: string }[];
    return rows.map((row) => row.id);
  }

  /** Whether any image of this KIE task is in the library (trash included). */
  hasTask(kieTaskId: string): boolean {
    return this.statements.hasTask.get(kieTaskId) !== undefined;
  }

  /** Newest first, keyset-paged by (created_at, id); the trash is left out. */
  page(
    cursor: GalleryCursor | null,
    limit: number,
  ): { items: ImageRecord[]; nextCursor: GalleryCursor | null } {
    const { items, nextCursor } = this.query({}, cursor === null ? null : { after: cursor }, limit);
    return { items, nextCursor };
  }

  /**
   * One page of the images matching `q` (trash excluded), in `q.sort` order (newest by default)
   * whichever way the cursor points. `prevCursor` after an `after` page is the first item's key
   * without a look back: a `before` page from it may come back empty if everything earlier has
   * since been removed.
   */
  query(q: ImageQuery, cursor: GalleryPageCursor | null, limit: number): ImagePage {
    const take = pageSize(limit);
    const { sql, args } = pageSql(q, cursor);
    const rows = this.cached(sql).all(...args, take + 1) as unknown as ImageRow[];
    const more = rows.length > take;
    const items = rows.slice(0, take).map(fromRow);
    const backwards = cursor !== null && 'before' in cursor;
    if (backwards) items.reverse();
    const first = items[0];
    const last = items[items.length - 1];
    const sort = q.sort ?? 'newest';
    return {
      items,
      nextCursor: last && (backwards || more) ? cursorOf(last, sort) : null,
      prevCursor: first && (backwards ? more : cursor !== null) ? cursorOf(first, sort) : null,
    };
  }

  /** The ids of the images matching `q` (trash excluded), in `q.sort` order, at most `limit`. */
  ids(q: ImageQuery, limit: number): string[] {
    const ids: string[] = [];
    let cursor: GalleryPageCursor | null = null;
    while (ids.length < limit) {
      const page = this.query(q, cursor, Math.min(500, limit - ids.length));
      for (const item of page.items) ids.push(item.id);
      if (page.nextCursor === null || page.items.length === 0) break;
      cursor = { after: page.nextCursor };
    }
    return ids;
  }

  /** How many images match `q` (trash excluded). */
  count(q: ImageQuery): number {
    const plan = planQuery(q);
    const sql = `SELECT count(*) AS n FROM ${plan.from} WHERE ${plan.where.join(' AND ')}`;
    return (this.cached(sql).get(...plan.args) as { n: number }).n;
  }

  setFavourite(ids: readonly string[], favourite: boolean): number {
    return this.eachId(ids, (id) => this.statements.setFavourite.run(favourite ? 1 : 0, id).changes);
  }

  setRating(ids: readonly string[], rating: number): number {
    if (!imageRatingSchema.safeParse(rating).success) {
      throw new AppError('VALIDATION', 'A rating is a whole number from 0 to 5.', { rating });
    }
    return this.eachId(ids, (id) => this.statements.setRating.run(rating, id).changes);
  }

  /** Tags the images (creating tags as needed); returns how many new (image, tag) links were made. */
  addTags(ids: readonly string[], tags: readonly string[]): number {
    const names = uniqueNames(tags.map(normaliseTag));
    return transaction(this.db, () => {
      let added = 0;
      for (const name of names) {
        this.statements.createTag.run(name);
        const tag = this.statements.tagId.get(name) as { id: number };
        for (const id of new Set(ids)) added += Number(this.statements.linkTag.run(tag.id, id).changes);
      }
      return added;
    });
  }

  /** Removes the tags from the images; a tag left on no image is forgotten. */
  removeTags(ids: readonly string[], tags: readonly string[]): number {
    const names = uniqueNames(tags.map(normaliseTag));
    return transaction(this.db, () => {
      let removed = 0;
      for (const name of names) {
        const tag = this.statements.tagId.get(name) as { id: number } | undefined;
        if (!tag) continue;
        for (const id of new Set(ids)) removed += Number(this.statements.unlinkTag.run(tag.id, id).changes);
        this.statements.deleteTagIfUnused.run(tag.id);
      }
      return removed;
    });
  }

  tagsFor(id: string): string[] {
    return (this.statements.tagsFor.all(id) as unknown as { name: string }[]).map((row) => row.name);
  }

  /** Every tag with the number of images outside the trash that carry it, by name. */
  allTags(): GalleryTag[] {
    return (this.statements.allTags.all() as unknown as GalleryTag[]).map((row) => ({
      name: row.name,
      count: row.count,
    }));
  }

  createAlbum(name: string, now: Date = new Date()): GalleryAlbum {
    const album = { id: randomUUID(), name: normaliseAlbumName(name), createdAt: now.toISOString() };
    this.statements.createAlbum.run(album.id, album.name, album.createdAt);
    return { ...album, count: 0, coverId: null };
  }

  renameAlbum(id: string, name: string): boolean {
    return this.statements.renameAlbum.run(normaliseAlbumName(name), id).changes > 0;
  }

  /** Deletes the album; its images stay in the library. */
  deleteAlbum(id: string): boolean {
    return transaction(this.db, () => this.statements.deleteAlbum.run(id).changes > 0);
  }

  addToAlbum(albumId: string, ids: readonly string[], now: Date = new Date()): number {
    const addedAt = now.toISOString();
    return transaction(this.db, () => {
      if (!this.statements.albumExists.get(albumId)) {
        throw new AppError('NOT_FOUND', 'That album does not exist.', { albumId });
      }
      let added = 0;
      for (const id of new Set(ids))
        added += Number(this.statements.linkAlbum.run(albumId, addedAt, id).changes);
      return added;
    });
  }

  removeFromAlbum(albumId: string, ids: readonly string[]): number {
    return this.eachId(ids, (id) => this.statements.unlinkAlbum.run(albumId, id).changes);
  }

  /** Every album by name, with the count and cover of its images outside the trash. */
  albums(): GalleryAlbum[] {
    return (this.statements.albums.all() as unknown as GalleryAlbum[]).map((row) => ({
      id: row.id,
      name: row.name,
      createdAt: row.createdAt,
      count: row.count,
      coverId: row.coverId,
    }));
  }

  albumsFor(id: string): { id: string; name: string }[] {
    return (this.statements.albumsFor.all(id) as unknown as { id: string; name: string }[]).map((row) => ({
      id: row.id,
      name: row.name,
    }));
  }

  /**
   * Records that the files were moved to the trash folder: `trashRelPaths[i]` is where image
   * `ids[i]` now lives. Images already trashed or unknown are skipped; returns the ids moved.
   */
  moveToTrash(ids: readonly string[], trashRelPaths: readonly string[], now: Date = new Date()): string[] {
    if (ids.length !== trashRelPaths.length) {
      throw new AppError('VALIDATION', 'Each trashed image needs its trash path.');
    }
    const trashedAt = now.toISOString();
    return transaction(this.db, () => {
      const moved: string[] = [];
      ids.forEach((id, index) => {
        const row = this.statements.pathOf.get(id) as { rel_path: string; trashed: number } | undefined;
        const trashRelPath = trashRelPaths[index];
        if (!row || row.trashed === 1 || trashRelPath === undefined) return;
        this.statements.insertTrash.run(id, trashedAt, row.rel_path, trashRelPath);
        this.statements.setTrashed.run(1, trashRelPath, id);
        moved.push(id);
      });
      return moved;
    });
  }

  /**
   * Takes images out of the trash, back to their original paths (or `relPaths[i]` when given,
   * e.g. when the original is taken). Returns where each file must be moved from and to.
   */
  restore(ids: readonly string[], relPaths?: readonly string[]): { id: string; from: string; to: string }[] {
    return transaction(this.db, () => {
      const restored: { id: string; from: string; to: string }[] = [];
      ids.forEach((id, index) => {
        const row = this.statements.trashOf.get(id) as
          { original_rel_path: string; trash_rel_path: string } | undefined;
        if (!row) return;
        const to = relPaths?.[index] ?? row.original_rel_path;
        this.statements.deleteTrash.run(id);
        this.statements.setTrashed.run(0, to, id);
        restored.push({ id, from: row.trash_rel_path, to });
      });
      return restored;
    });
  }

  /** Trashed images, most recently trashed first. */
  trashPage(
    cursor: TrashCursor | null,
    limit: number,
  ): { items: TrashedImageRecord[]; nextCursor: TrashCursor | null } {
    const take = pageSize(limit);
    const rows = (cursor === null
      ? this.statements.trashFirst.all(take + 1)
      : this.statements.trashAfter.all(cursor.trashedAt, cursor.id, take + 1)) as unknown as TrashRow[];
    const items = rows.slice(0, take).map(fromTrashRow);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > take && last ? { trashedAt: last.trashedAt, id: last.id } : null,
    };
  }

  trashCount(): number {
    return (this.statements.trashCount.get() as { n: number }).n;
  }

  /** Ids of images trashed before `iso` (for emptying old trash), oldest first. */
  trashedBefore(iso: string): string[] {
    return (this.statements.trashedBefore.all(isoInstant(iso)) as unknown as { image_id: string }[]).map(
      (row) => row.image_id,
    );
  }

  /**
   * Deletes trashed images from the index for good (images not in the trash are left alone).
   * Returns the files the caller must now delete.
   */
  purge(ids: readonly string[]): { id: string; relPath: string }[] {
    return transaction(this.db, () => {
      const purged: { id: string; relPath: string }[] = [];
      for (const id of new Set(ids)) {
        const row = this.statements.trashOf.get(id) as { trash_rel_path: string } | undefined;
        if (!row) continue;
        this.statements.deleteImage.run(id);
        purged.push({ id, relPath: row.trash_rel_path });
      }
      if (purged.length > 0) this.statements.deleteUnusedTags.run();
      return purged;
    });
  }

  /**
   * Drops missing images (status `missing`) from the index, for files the user no longer wants
   * listed; other images are left alone. Returns the ids dropped.
   */
  deleteMissing(ids: readonly string[]): string[] {
    return transaction(this.db, () => {
      const dropped: string[] = [];
      for (const id of new Set(ids)) {
        if (this.statements.deleteMissing.run(id).changes > 0) dropped.push(id);
      }
      if (dropped.length > 0) this.statements.deleteUnusedTags.run();
      return dropped;
    });
  }

  markMissing(ids: readonly string[]): number {
    return this.eachId(ids, (id) => this.statements.setStatus.run('missing', id).changes);
  }

  markPresent(ids: readonly string[]): number {
    return this.eachId(ids, (id) => this.statements.setStatus.run('ok', id).changes);
  }

  /** Records what reconcile saw on disk; a content hash left undefined is kept. */
  setFileInfo(id: string, info: ImageFileInfo): boolean {
    const result =
      info.contentHash === undefined
        ? this.statements.setFileStat.run(info.fileSize, info.fileMtimeMs, id)
        : this.statements.setFileStatAndHash.run(info.fileSize, info.fileMtimeMs, info.contentHash, id);
    return result.changes > 0;
  }

  /** Every file the index knows, trash included, for reconcile. */
  allPaths(): ImageFileEntry[] {
    const rows = this.statements.allPaths.all() as unknown as {
      id: string;
      rel_path: string;
      file_size: number | null;
      file_mtime_ms: number | null;
      status: string;
      trashed: number;
    }[];
    return rows.map((row) => ({
      id: row.id,
      relPath: row.rel_path,
      fileSize: row.file_size,
      fileMtimeMs: row.file_mtime_ms,
      status: imageStatusSchema.parse(row.status),
      trashed: row.trashed === 1,
    }));
  }

  /**
   * Links an image to the job that made it, when the index learned of the file first (a scan
   * that ran between the file landing and the job recording it). Never relinks a linked image.
   */
  linkJob(id: string, jobId: string): boolean {
    return this.statements.linkJob.run(jobId, id).changes > 0;
  }

  /** The file moved (renamed, or found elsewhere by reconcile). */
  updatePath(id: string, relPath: string): boolean {
    return transaction(this.db, () => {
      const changed = this.statements.setPath.run(relPath, id).changes > 0;
      if (changed) this.statements.setTrashPath.run(relPath, id);
      return changed;
    });
  }

  /** Images made from this one, oldest first (trashed ones included; see `trashed`). */
  children(id: string): ImageRecord[] {
    return (this.statements.children.all(id) as unknown as ImageRow[]).map(fromRow);
  }

  /** The images this one was made from, in lineage order; purged parents are left out. */
  parents(id: string): ImageRecord[] {
    const image = this.get(id);
    if (!image) return [];
    return image.parents.flatMap((parentId) => {
      const parent = this.get(parentId);
      return parent ? [parent] : [];
    });
  }

  private eachId(ids: readonly string[], apply: (id: string) => number | bigint): number {
    return transaction(this.db, () => {
      let changed = 0;
      for (const id of new Set(ids)) changed += Number(apply(id));
      return changed;
    });
  }

  /** Query shapes are few (one per filter combination), so their statements are kept. */
  private cached(sql: string): StatementSync {
    let statement = this.dynamic.get(sql);
    if (statement) {
      this.dynamic.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      if (this.dynamic.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.dynamic.keys().next();
        if (!oldest.done) this.dynamic.delete(oldest.value);
      }
    }
    this.dynamic.set(sql, statement);
    return statement;
  }
}

/**
 * The page query for `q` from `cursor`, its last parameter (LIMIT) left to the caller. A
 * `before` page is read in reverse order from the cursor and flipped by the caller.
 */
export function pageSql(
  q: ImageQuery,
  cursor: GalleryPageCursor | null,
): { sql: string; args: SQLInputValue[] } {
  const base = planQuery(q);
  const page = keyset(q, base, cursor);
  const plan = page.holdsMinRating ? planQuery({ ...q, minRating: undefined }) : base;
  const where = page.condition === null ? plan.where : [...plan.where, page.condition];
  const sql =
    `SELECT ${I_COLUMNS} FROM ${plan.from} WHERE ${where.join(' AND ')}` +
    ` ORDER BY ${page.orderBy} LIMIT ?`;
  return { sql, args: [...plan.args, ...page.args] };
}

interface QueryPlan {
  from: string;
  /** Where the page's time and id are read (the sort adds its own key in front, sorting.ts). */
  createdAt: string;
  id: string;
  where: string[];
  args: SQLInputValue[];
}

/**
 * Turns a query into SQL pieces. An album or tag query walks that link table's own
 * (created_at, id) index (CROSS JOIN fixes the join order), any other query walks an images
 * index; every other filter is a condition on the image row.
 */
function planQuery(q: ImageQuery): QueryPlan {
  const where: string[] = [];
  const args: SQLInputValue[] = [];
  let plan: Pick<QueryPlan, 'from' | 'createdAt' | 'id'>;
  let tagDone = false;
  if (q.albumId !== undefined) {
    plan = {
      from: 'album_images d CROSS JOIN images i ON i.id = d.image_id',
      createdAt: 'd.image_created_at',
      id: 'd.image_id',
    };
    where.push('d.album_id = ?');
    args.push(q.albumId);
  } else if (q.tag !== undefined) {
    plan = {
      from: 'image_tags d CROSS JOIN images i ON i.id = d.image_id',
      createdAt: 'd.image_created_at',
      id: 'd.image_id',
    };
    where.push('d.tag_id = (SELECT id FROM tags WHERE name = ?)');
    args.push(normaliseTag(q.tag));
    tagDone = true;
  } else {
    plan = { from: 'images i', createdAt: 'i.created_at', id: 'i.id' };
  }
  where.push('i.trashed = 0');
  if (q.tag !== undefined && !tagDone) {
    where.push(
      'EXISTS (SELECT 1 FROM image_tags t WHERE t.tag_id = (SELECT id FROM tags WHERE name = ?) AND t.image_id = i.id)',
    );
    args.push(normaliseTag(q.tag));
  }
  const sort = q.sort ?? 'newest';
  oneOf(where, args, modelFilterColumn(sort, q.models?.length ?? 0), q.models);
  oneOf(where, args, 'i.aspect_ratio', q.aspectRatios);
  if (q.from !== undefined) {
    where.push(`${plan.createdAt} >= ?`);
    args.push(isoInstant(q.from));
  }
  if (q.to !== undefined) {
    where.push(`${plan.createdAt} <= ?`);
    args.push(isoInstant(q.to));
  }
  if (q.favouritesOnly === true) where.push('i.favourite = 1');
  if (q.minRating !== undefined) {
    where.push(...minRatingTerms(sort));
    args.push(q.minRating);
  }
  if (q.origin === 'demo') where.push('i.demo = 1');
  if (q.origin === 'generated') where.push("i.origin = 'generated'", 'i.demo = 0');
  if (q.origin === 'imported') where.push("i.origin = 'imported'");
  if (q.status === 'missing') where.push("i.status = 'missing'");
  if (q.status === 'ok') where.push("i.status = 'ok'");
  const search = ftsQuery(q.text ?? '');
  // Unary + keeps the planner on the ordered index: the matches are collected once and probed
  // while walking it, instead of sorting every match.
  if (search.text !== null) {
    where.push('+i.seq IN (SELECT rowid FROM images_fts WHERE images_fts MATCH ?)');
    args.push(search.text);
  }
  if (search.grams !== null) {
    where.push('+i.seq IN (SELECT rowid FROM images_grams WHERE images_grams MATCH ?)');
    args.push(search.grams);
  }
  return { ...plan, where, args };
}

function oneOf(
  where: string[],
  args: SQLInputValue[],
  column: string,
  values: readonly string[] | undefined,
): void {
  if (values === undefined || values.length === 0) return;
  const [only] = values;
  if (values.length === 1 && only !== undefined) {
    where.push(`${column} = ?`);
    args.push(only);
  } else {
    where.push(`${column} IN (SELECT value FROM json_each(?))`);
    args.push(JSON.stringify(values));
  }
}

/** FTS5 queries for images_fts and images_grams; null where there is no term for that table. */
export interface SearchQuery {
  text: string | null;
  grams: string | null;
}

/**
 * What the user typed, as FTS5 queries. Plain words, ANDed; nothing in the input is FTS syntax:
 * every term becomes a quoted phrase. A term of three or more characters is a trigram substring
 * match (images_fts); a shorter one matches its padded gram (images_grams, see ftsGrams). Both
 * cover the same text: prompt, tags, album names and model.
 */
export function ftsQuery(text: string): SearchQuery {
  const terms = new Map<string, string>();
  for (const raw of text.replaceAll(GRAM_PAD, ' ').split(/\s+/u)) {
    if (raw === '') continue;
    const folded = raw.toLowerCase();
    if (!terms.has(folded)) terms.set(folded, raw);
    if (terms.size >= MAX_SEARCH_TERMS) break;
  }
  const long: string[] = [];
  const short: string[] = [];
  for (const term of terms.values()) {
    const length = Array.from(term).length;
    if (length >= 3) long.push(quotePhrase(term));
    else short.push(quotePhrase(term + GRAM_PAD.repeat(3 - length)));
  }
  return { text: long.length > 0 ? long.join(' ') : null, grams: short.length > 0 ? short.join(' ') : null };
}

function quotePhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

function normaliseTag(tag: string): string {
  const name = tag.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (name === '' || Array.from(name).length > TAG_MAX_CHARS) {
    throw new AppError('VALIDATION', `A tag is 1 to ${TAG_MAX_CHARS} characters.`, { tag });
  }
  return name;
}

function normaliseAlbumName(name: string): string {
  const clean = name.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (clean === '' || Array.from(clean).length > ALBUM_NAME_MAX_CHARS) {
    throw new AppError('VALIDATION', `An album name is 1 to ${ALBUM_NAME_MAX_CHARS} characters.`);
  }
  return clean;
}

/** Tag names are unique without regard to case (the column is NOCASE). */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return Array.from(seen.values());
}

/** Stored timestamps are UTC `toISOString()` text, so that string order is time order. */
function isoInstant(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new AppError('VALIDATION', 'Not a valid date.', { date: iso });
  return new Date(time).toISOString();
}

function withDefaults(input: NewImageRecord): ImageRecord {
  const rating = input.rating ?? 0;
  if (!imageRatingSchema.safeParse(rating).success) {
    throw new AppError('VALIDATION', 'A rating is a whole number from 0 to 5.', { rating });
  }
  return {
    ...input,
    createdAt: isoInstant(input.createdAt),
    origin: input.origin ?? 'generated',
    status: input.status ?? 'ok',
    favourite: input.favourite ?? false,
    rating,
    parents: input.parents ?? [],
    fileSize: input.fileSize ?? input.bytes,
    fileMtimeMs: input.fileMtimeMs ?? null,
    contentHash: input.contentHash ?? null,
    trashed: false,
  };
}

function pageSize(limit: number): number {
  return Number.isFinite(limit) ? Math.max(1, Math.floor(limit)) : 1;
}

function fromRow(row: ImageRow): ImageRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    kieTaskId: row.kie_task_id,
    resultIndex: row.result_index,
    params: imageParamsSchema.parse(JSON.parse(row.params)),
    relPath: row.rel_path,
    width: row.width,
    height: row.height,
    format: imageFormatSchema.parse(row.format),
    bytes: row.bytes,
    demo: row.demo === 1,
    createdAt: row.created_at,
    origin: imageOriginSchema.parse(row.origin),
    status: imageStatusSchema.parse(row.status),
    favourite: row.favourite === 1,
    rating: row.rating,
    parents: parentsSchema.parse(JSON.parse(row.parents)),
    fileSize: row.file_size,
    fileMtimeMs: row.file_mtime_ms,
    contentHash: row.content_hash,
    trashed: row.trashed === 1,
  };
}

function fromTrashRow(row: TrashRow): TrashedImageRecord {
  return {
    ...fromRow(row),
    trashedAt: row.trashed_at,
    originalRelPath: row.original_rel_path,
    trashRelPath: row.trash_rel_path,
  };
}

function prepareStatements(db: Database) {
  return {
    insert: db.prepare(
      `INSERT INTO images (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`,
    ),
    get: db.prepare(`SELECT ${COLUMNS} FROM images WHERE id = ?`),
    byTaskResult: db.prepare(`SELECT ${COLUMNS} FROM images WHERE kie_task_id = ? AND result_index = ?`),
    byRelPath: db.prepare(`SELECT ${COLUMNS} FROM images WHERE rel_path = ?`),
    byContentHash: db.prepare(`SELECT ${COLUMNS} FROM images WHERE content_hash = ? ORDER BY created_at, id`),
    idsForJob: db.prepare('SELECT id FROM images WHERE job_id = ? ORDER BY result_index'),
    hasTask: db.prepare('SELECT 1 FROM images WHERE kie_task_id = ? LIMIT 1'),
    setFavourite: db.prepare('UPDATE images SET favourite = ? WHERE id = ?'),
    setRating: db.prepare('UPDATE images SET rating = ? WHERE id = ?'),
    setStatus: db.prepare('UPDATE images SET status = ? WHERE id = ?'),
    setFileStat: db.prepare('UPDATE images SET file_size = ?, file_mtime_ms = ? WHERE id = ?'),
    setFileStatAndHash: db.prepare(
      'UPDATE images SET file_size = ?, file_mtime_ms = ?, content_hash = ? WHERE id = ?',
    ),
    setPath: db.prepare('UPDATE images SET rel_path = ? WHERE id = ?'),
    linkJob: db.prepare('UPDATE images SET job_id = ? WHERE id = ? AND job_id IS NULL'),
    setTrashPath: db.prepare('UPDATE trash SET trash_rel_path = ? WHERE image_id = ?'),
    pathOf: db.prepare('SELECT rel_path, trashed FROM images WHERE id = ?'),
    allPaths: db.prepare(
      'SELECT id, rel_path, file_size, file_mtime_ms, status, trashed FROM images ORDER BY rel_path',
    ),
    deleteImage: db.prepare('DELETE FROM images WHERE id = ?'),
    deleteMissing: db.prepare("DELETE FROM images WHERE id = ? AND status = 'missing'"),

    createTag: db.prepare('INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING'),
    tagId: db.prepare('SELECT id FROM tags WHERE name = ?'),
    linkTag: db.prepare(
      'INSERT OR IGNORE INTO image_tags (tag_id, image_id, image_created_at) SELECT ?, id, created_at FROM images WHERE id = ?',
    ),
    unlinkTag: db.prepare('DELETE FROM image_tags WHERE tag_id = ? AND image_id = ?'),
    deleteTagIfUnused: db.prepare(
      'DELETE FROM tags WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM image_tags WHERE tag_id = ?1)',
    ),
    deleteUnusedTags: db.prepare(
      'DELETE FROM tags WHERE NOT EXISTS (SELECT 1 FROM image_tags WHERE tag_id = tags.id)',
    ),
    tagsFor: db.prepare(
      'SELECT t.name FROM image_tags it JOIN tags t ON t.id = it.tag_id WHERE it.image_id = ? ORDER BY t.name',
    ),
    // Counts from the link index minus the (usually few) trashed images: no image row is read.
    allTags: db.prepare(
      `SELECT t.name AS name,
         (SELECT count(*) FROM image_tags it WHERE it.tag_id = t.id)
         - (SELECT count(*) FROM trash tr JOIN image_tags it ON it.tag_id = t.id AND it.image_id = tr.image_id) AS count
       FROM tags t ORDER BY t.name`,
    ),

    createAlbum: db.prepare('INSERT INTO albums (id, name, created_at) VALUES (?, ?, ?)'),
    renameAlbum: db.prepare('UPDATE albums SET name = ? WHERE id = ?'),
    deleteAlbum: db.prepare('DELETE FROM albums WHERE id = ?'),
    albumExists: db.prepare('SELECT 1 AS found FROM albums WHERE id = ?'),
    linkAlbum: db.prepare(
      `INSERT OR IGNORE INTO album_images (album_id, image_id, image_created_at, added_at)
       SELECT ?, id, created_at, ? FROM images WHERE id = ?`,
    ),
    unlinkAlbum: db.prepare('DELETE FROM album_images WHERE album_id = ? AND image_id = ?'),
    albums: db.prepare(
      `SELECT a.id AS id, a.name AS name, a.created_at AS createdAt,
         (SELECT count(*) FROM album_images ai WHERE ai.album_id = a.id)
         - (SELECT count(*) FROM trash tr JOIN album_images ai ON ai.album_id = a.id AND ai.image_id = tr.image_id) AS count,
         (SELECT ai.image_id FROM album_images ai CROSS JOIN images i ON i.id = ai.image_id
          WHERE ai.album_id = a.id AND i.trashed = 0
          ORDER BY ai.image_created_at DESC, ai.image_id DESC LIMIT 1) AS coverId
       FROM albums a ORDER BY a.name COLLATE NOCASE, a.id`,
    ),
    albumsFor: db.prepare(
      `SELECT a.id AS id, a.name AS name FROM album_images ai JOIN albums a ON a.id = ai.album_id
       WHERE ai.image_id = ? ORDER BY a.name COLLATE NOCASE, a.id`,
    ),

    insertTrash: db.prepare(
      'INSERT INTO trash (image_id, trashed_at, original_rel_path, trash_rel_path) VALUES (?, ?, ?, ?)',
    ),
    deleteTrash: db.prepare('DELETE FROM trash WHERE image_id = ?'),
    setTrashed: db.prepare('UPDATE images SET trashed = ?, rel_path = ? WHERE id = ?'),
    trashOf: db.prepare('SELECT original_rel_path, trash_rel_path FROM trash WHERE image_id = ?'),
    trashFirst: db.prepare(
      `SELECT ${I_COLUMNS}, t.trashed_at, t.original_rel_path, t.trash_rel_path
       FROM trash t CROSS JOIN images i ON i.id = t.image_id
       ORDER BY t.trashed_at DESC, t.image_id DESC LIMIT ?`,
    ),
    trashAfter: db.prepare(
      `SELECT ${I_COLUMNS}, t.trashed_at, t.original_rel_path, t.trash_rel_path
       FROM trash t CROSS JOIN images i ON i.id = t.image_id
       WHERE (t.trashed_at, t.image_id) < (?, ?)
       ORDER BY t.trashed_at DESC, t.image_id DESC LIMIT ?`,
    ),
    trashCount: db.prepare('SELECT count(*) AS n FROM trash'),
    trashedBefore: db.prepare(
      'SELECT image_id FROM trash WHERE trashed_at < ? ORDER BY trashed_at, image_id',
    ),

    children: db.prepare(
      `SELECT ${I_COLUMNS} FROM image_lineage l CROSS JOIN images i ON i.id = l.child_id
       WHERE l.parent_id = ? ORDER BY i.created_at, i.id`,
    ),
  };
}
