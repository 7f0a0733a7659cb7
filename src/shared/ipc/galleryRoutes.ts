import { z } from 'zod';
import {
  galleryAlbumSchema,
  galleryCursorSchema,
  galleryImageSchema,
  galleryPageCursorSchema,
  galleryQuerySchema,
  galleryTagSchema,
  imageRatingSchema,
} from '../domain/image';
import { embeddedMetadataSchema } from '../domain/imageMetadata';
import { isoDateSchema } from '../domain/job';

const empty = z.object({}).strict();
const imageId = z.string().min(1).max(64);
/** The most ids one bulk action takes: "select all" in a big library is a lot, but not unbounded. */
export const MAX_BULK_IDS = 10_000;
const imageIds = z.array(imageId).min(1).max(MAX_BULK_IDS);
const tagName = z.string().trim().min(1).max(64);
const albumName = z.string().trim().min(1).max(200);
const count = z.object({ count: z.number().int().nonnegative() });

export const galleryQueryPageSchema = z.object({
  items: z.array(galleryImageSchema),
  /** Pass as `{ after: nextCursor }` for the next page; null at the end. */
  nextCursor: galleryCursorSchema.nullable(),
  /** Pass as `{ before: prevCursor }` for the previous page; null at the start. */
  prevCursor: galleryCursorSchema.nullable(),
});
export type GalleryQueryPage = z.infer<typeof galleryQueryPageSchema>;

export const imageDetailSchema = z.object({
  image: galleryImageSchema,
  tags: z.array(z.string()),
  albums: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Lineage: images this one was made from, and images made from it. */
  parents: z.array(galleryImageSchema),
  children: z.array(galleryImageSchema),
  /** Absolute path of the file, for "reveal" and the metadata panel. */
  filePath: z.string(),
});
export type ImageDetail = z.infer<typeof imageDetailSchema>;

export const trashedImageSchema = galleryImageSchema.extend({
  trashedAt: isoDateSchema,
  /** When it leaves "Recently deleted" for the OS trash. */
  purgeAt: isoDateSchema,
});
export type TrashedImage = z.infer<typeof trashedImageSchema>;

export const reconcileReportSchema = z.object({
  scanned: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  recovered: z.number().int().nonnegative(),
  moved: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  reappeared: z.number().int().nonnegative(),
  errors: z.array(z.object({ relPath: z.string(), message: z.string() })).max(100),
  durationMs: z.number().nonnegative(),
});
export type ReconcileReport = z.infer<typeof reconcileReportSchema>;

export const libraryStatusSchema = z.object({
  root: z.string(),
  images: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  trashed: z.number().int().nonnegative(),
  scanning: z.boolean(),
  lastScan: reconcileReportSchema.extend({ finishedAt: isoDateSchema }).nullable(),
  /** Set once after the index had to be rebuilt from the files (missing or corrupt library.db). */
  rebuilt: z.object({ reason: z.enum(['missing', 'corrupt']), recovered: z.number().int() }).nullable(),
});
export type LibraryStatus = z.infer<typeof libraryStatusSchema>;

/** Files dropped or pasted into the app are read once, base64, capped (KIE's 30 MB, encoded). */
export const MAX_INSPECT_BASE64 = 41 * 1024 * 1024;

export const imageInspectionSchema = z.object({
  format: z.enum(['png', 'jpeg', 'webp']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Set when the file was made by Banana Studio: its prompt and settings can be reused. */
  metadata: embeddedMetadataSchema.nullable(),
  /** Another app's caption, when there is one. */
  description: z.string().nullable(),
});
export type ImageInspection = z.infer<typeof imageInspectionSchema>;

/** Why a library folder cannot be moved to the chosen place (`details.problem` of the error). */
export const LIBRARY_MOVE_PROBLEMS = ['relative', 'nested', 'unusable', 'not-empty'] as const;
export type LibraryMoveProblem = (typeof LIBRARY_MOVE_PROBLEMS)[number];

/** The gallery's routes; spread into the one `routes` object of the contract. */
export const galleryRoutes = {
  'gallery.query': {
    input: z
      .object({
        query: galleryQuerySchema,
        cursor: galleryPageCursorSchema.nullable(),
        limit: z.number().int().min(1).max(500),
      })
      .strict(),
    output: galleryQueryPageSchema,
  },
  'gallery.count': { input: z.object({ query: galleryQuerySchema }).strict(), output: count },
  /**
   * "Select all": the ids of every image matching the query, in its order, up to MAX_BULK_IDS;
   * `total` says how many match, so the UI can tell when it got fewer.
   */
  'gallery.ids': {
    input: z.object({ query: galleryQuerySchema }).strict(),
    output: z.object({ ids: z.array(imageId).max(MAX_BULK_IDS), total: z.number().int().nonnegative() }),
  },
  'gallery.get': { input: z.object({ id: imageId }).strict(), output: galleryImageSchema },
  'gallery.detail': { input: z.object({ id: imageId }).strict(), output: imageDetailSchema },
  'gallery.setFavourite': {
    input: z.object({ ids: imageIds, favourite: z.boolean() }).strict(),
    output: count,
  },
  'gallery.setRating': {
    input: z.object({ ids: imageIds, rating: imageRatingSchema }).strict(),
    output: count,
  },
  'gallery.tag': {
    input: z
      .object({ ids: imageIds, add: z.array(tagName).max(20), remove: z.array(tagName).max(20) })
      .strict(),
    output: count,
  },
  'gallery.tags': { input: empty, output: z.array(galleryTagSchema) },
  'albums.list': { input: empty, output: z.array(galleryAlbumSchema) },
  'albums.create': { input: z.object({ name: albumName }).strict(), output: galleryAlbumSchema },
  'albums.rename': {
    input: z.object({ id: z.string().min(1), name: albumName }).strict(),
    output: galleryAlbumSchema,
  },
  'albums.delete': { input: z.object({ id: z.string().min(1) }).strict(), output: count },
  'albums.add': { input: z.object({ albumId: z.string().min(1), ids: imageIds }).strict(), output: count },
  'albums.remove': { input: z.object({ albumId: z.string().min(1), ids: imageIds }).strict(), output: count },
  /** Moves files to the library's "Recently deleted" folder; `restore` undoes it. */
  'gallery.trash': { input: z.object({ ids: imageIds }).strict(), output: count },
  'gallery.restore': { input: z.object({ ids: imageIds }).strict(), output: count },
  'gallery.trashList': {
    input: z.object({ limit: z.number().int().min(1).max(500) }).strict(),
    output: z.object({ items: z.array(trashedImageSchema), total: z.number().int().nonnegative() }),
  },
  /** From "Recently deleted" to the OS trash (still recoverable there). */
  'gallery.purge': { input: z.object({ ids: imageIds }).strict(), output: count },
  /** Missing items the user no longer wants listed. */
  'gallery.forget': { input: z.object({ ids: imageIds }).strict(), output: count },
  'gallery.export': {
    input: z.object({ ids: imageIds }).strict(),
    output: z.object({ count: z.number().int().nonnegative(), folder: z.string().nullable() }),
  },
  'gallery.reveal': { input: z.object({ id: imageId }).strict(), output: empty },
  'gallery.open': { input: z.object({ id: imageId }).strict(), output: empty },
  'gallery.copyImage': { input: z.object({ id: imageId }).strict(), output: empty },
  'gallery.startDrag': { input: z.object({ ids: imageIds.max(100) }).strict(), output: empty },
  'library.status': { input: empty, output: libraryStatusSchema },
  /** What a dropped or pasted image is, and the settings it was made with if it is ours. */
  'images.inspect': {
    input: z
      .object({ base64: z.string().min(1).max(MAX_INSPECT_BASE64), name: z.string().max(255) })
      .strict(),
    output: imageInspectionSchema,
  },
  'library.rescan': { input: empty, output: reconcileReportSchema },
  /** Moves the library folder (null: the user picks it); files are moved safely, then rescanned. */
  'library.move': {
    input: z.object({ to: z.string().min(1).max(4096).nullable() }).strict(),
    output: libraryStatusSchema,
  },
} as const;
