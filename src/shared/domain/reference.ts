import { z } from 'zod';
import { imageFormatSchema } from './image';
import { referenceIdSchema } from './job';

/**
 * KIE's limit per reference image (kie-api.md: `image_urls` files are at most 10 MB each).
 * Checked in core before anything is sent; exported so the renderer can refuse a big file
 * before reading it.
 */
export const REFERENCE_MAX_BYTES = 10 * 1024 * 1024;

/** A reference image staged in core, ready to be sent with a job by its id. */
export const stagedReferenceSchema = z.object({
  id: referenceIdSchema,
  /** The file name the user dropped, or the gallery image's file name. */
  name: z.string(),
  format: imageFormatSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
  /** The staged file itself (gallery://ref/<id>, or /gallery/ref/<id> in the harness). */
  url: z.string(),
  /** A small picture for chips: the gallery thumbnail when staged from the gallery, else `url`. */
  thumbUrl: z.string(),
  /** The gallery image it was staged from (lineage), or null for a dropped or pasted file. */
  galleryImageId: z.string().nullable(),
});
export type StagedReference = z.infer<typeof stagedReferenceSchema>;
