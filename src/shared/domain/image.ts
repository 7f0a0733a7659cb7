import { z } from 'zod';
import { isoDateSchema, jobParamsSchema } from './job';
import { ASPECT_RATIOS, MODEL_IDS, aspectRatioSchema, modelIdSchema } from './models';

export const IMAGE_FORMATS = ['png', 'jpeg', 'webp'] as const;
export const imageFormatSchema = z.enum(IMAGE_FORMATS);
export type ImageFormat = z.infer<typeof imageFormatSchema>;

/** The model of an image Banana Studio did not make (a photo copied into the library folder). */
export const UNKNOWN_MODEL = 'unknown';

/**
 * An image's settings: the job's it was made with, except that an image from elsewhere has no
 * model the app knows. Everything else keeps its neutral value (aspect ratio from its size, its
 * caption or file name as the prompt).
 */
export const imageParamsSchema = jobParamsSchema.extend({
  model: z.union([modelIdSchema, z.literal(UNKNOWN_MODEL)]),
});
export type ImageParams = z.infer<typeof imageParamsSchema>;

export const galleryImageSchema = z.object({
  id: z.string(),
  jobId: z.string().nullable(),
  kieTaskId: z.string().nullable(),
  params: imageParamsSchema,
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  format: imageFormatSchema,
  bytes: z.number().int().nonnegative(),
  fileName: z.string(),
  demo: z.boolean(),
  createdAt: isoDateSchema,
  /** gallery://image/<id> in Electron, http://127.0.0.1:…/gallery/image/<id> in the harness. */
  url: z.string(),
  /** A 512 px WebP of the image, made on demand (same scheme, `thumb` instead of `image`). */
  thumbUrl: z.string(),
  origin: z.enum(['generated', 'imported']),
  /** `missing`: the file was not found on the last scan (moved or deleted outside the app). */
  status: z.enum(['ok', 'missing']),
  favourite: z.boolean(),
  /** 1–5; 0 = not rated. */
  rating: z.number().int().min(0).max(5),
  /** Lineage: ids of the images this one was made from. */
  parents: z.array(z.string()),
});
export type GalleryImage = z.infer<typeof galleryImageSchema>;

/**
 * Keyset cursor: the sort key of the last item of the previous page. (createdAt, id) for the date
 * sorts; the rating sort adds `rating`, the model sort `model` (core says which one is missing).
 */
export const galleryCursorSchema = z.object({
  createdAt: isoDateSchema,
  id: z.string(),
  rating: z.number().int().min(0).max(5).optional(),
  model: z.string().max(100).optional(),
});
export type GalleryCursor = z.infer<typeof galleryCursorSchema>;

/** Where an image came from. Demo images are marked by `demo`, not by their origin. */
export const IMAGE_ORIGINS = ['generated', 'imported'] as const;
export const imageOriginSchema = z.enum(IMAGE_ORIGINS);
export type ImageOrigin = z.infer<typeof imageOriginSchema>;

/** `missing`: the index knows the image but its file was not found (reconcile). */
export const IMAGE_STATUSES = ['ok', 'missing'] as const;
export const imageStatusSchema = z.enum(IMAGE_STATUSES);
export type ImageStatus = z.infer<typeof imageStatusSchema>;

/** 0 = not rated. */
export const imageRatingSchema = z.number().int().min(0).max(5);

/**
 * `rating`: highest rated first, unrated last; `model`: one group per model (see modelSortKey),
 * images from elsewhere last. Within a rating or a model, newest first.
 */
export const GALLERY_SORTS = ['newest', 'oldest', 'rating', 'model'] as const;
export const gallerySortSchema = z.enum(GALLERY_SORTS);
export type GallerySort = z.infer<typeof gallerySortSchema>;

/** Whether the sort is by time alone (the grid then groups by day). */
export function isDateSort(sort: GallerySort): boolean {
  return sort === 'newest' || sort === 'oldest';
}

/**
 * The model sort's key, compared as text, largest first. It mirrors the index's `model_order`
 * column (core/db/database.ts, migration 6): an image of unknown model keys as '', after every
 * model.
 */
export function modelSortKey(model: string): string {
  return model === UNKNOWN_MODEL ? '' : model;
}

/** The origin filter: `demo` selects demo images; `generated` excludes them. */
export const GALLERY_ORIGIN_FILTERS = ['demo', 'generated', 'imported'] as const;
export const galleryOriginFilterSchema = z.enum(GALLERY_ORIGIN_FILTERS);
export type GalleryOriginFilter = z.infer<typeof galleryOriginFilterSchema>;

/**
 * One gallery query: every filter is optional and they combine with AND. `text` is plain words
 * (no search syntax), each of which must occur in the prompt, tags, album names or model.
 * An empty list means "any".
 */
export const galleryQuerySchema = z.object({
  text: z.string().max(500).optional(),
  models: z.array(modelIdSchema).max(MODEL_IDS.length).optional(),
  aspectRatios: z.array(aspectRatioSchema).max(ASPECT_RATIOS.length).optional(),
  /** Inclusive bounds on createdAt. */
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  favouritesOnly: z.boolean().optional(),
  minRating: z.number().int().min(1).max(5).optional(),
  albumId: z.string().min(1).optional(),
  tag: z.string().min(1).max(64).optional(),
  origin: galleryOriginFilterSchema.optional(),
  status: imageStatusSchema.optional(),
  sort: gallerySortSchema.optional(),
});
export type ImageQuery = z.infer<typeof galleryQuerySchema>;

/** `after`: the items that follow this key in the query's sort order; `before`: those that precede it. */
export const galleryPageCursorSchema = z.union([
  z.object({ after: galleryCursorSchema }),
  z.object({ before: galleryCursorSchema }),
]);
export type GalleryPageCursor = z.infer<typeof galleryPageCursorSchema>;

export const galleryAlbumSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: isoDateSchema,
  /** Images in the album that are not in the trash. */
  count: z.number().int().nonnegative(),
  /** The newest image of the album that is not in the trash. */
  coverId: z.string().nullable(),
});
export type GalleryAlbum = z.infer<typeof galleryAlbumSchema>;

export const galleryTagSchema = z.object({ name: z.string(), count: z.number().int().nonnegative() });
export type GalleryTag = z.infer<typeof galleryTagSchema>;
