import { z } from 'zod';
import { isoDateSchema, jobParamsSchema } from './job';

export const IMAGE_FORMATS = ['png', 'jpeg', 'webp'] as const;
export const imageFormatSchema = z.enum(IMAGE_FORMATS);
export type ImageFormat = z.infer<typeof imageFormatSchema>;

export const galleryImageSchema = z.object({
  id: z.string(),
  jobId: z.string().nullable(),
  kieTaskId: z.string().nullable(),
  params: jobParamsSchema,
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  format: imageFormatSchema,
  bytes: z.number().int().nonnegative(),
  fileName: z.string(),
  demo: z.boolean(),
  createdAt: isoDateSchema,
  /** gallery://… in Electron, http://127.0.0.1:…/gallery/… in the harness. */
  url: z.string(),
});
export type GalleryImage = z.infer<typeof galleryImageSchema>;

/** Keyset cursor: the (createdAt, id) of the last item of the previous page. */
export const galleryCursorSchema = z.object({ createdAt: isoDateSchema, id: z.string() });
export type GalleryCursor = z.infer<typeof galleryCursorSchema>;
