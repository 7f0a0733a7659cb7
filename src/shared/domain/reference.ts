import { z } from 'zod';
import { imageFormatSchema } from './image';
import { embeddedMetadataSchema } from './imageMetadata';
import { referenceIdSchema } from './job';
import { REFERENCE_MAX_BYTES_ANY_MODEL } from './models';

/**
 * The most a staged reference file may weigh: the largest any model takes (30 MB for Pro and
 * Nano Banana 2, see models.ts). Each model's own limit (10 MB for the edit model) is checked
 * against the chosen model, in the compose panel and again in core before a job is queued.
 */
export const REFERENCE_MAX_BYTES = REFERENCE_MAX_BYTES_ANY_MODEL;

/**
 * The longest side past which the tray notes that KIE will scale a reference down: twice the
 * long side of the largest (4K) result the models make. A file that big is taken (its bytes are
 * what KIE limits); KIE's pages state no pixel limit (verify), so this is a note, not a refusal.
 */
export const REFERENCE_SCALED_EDGE = 8192;

/** A reference image staged in core, ready to be sent with a job by its id. */
export const stagedReferenceSchema = z.object({
  id: referenceIdSchema,
  /** The file name the user dropped, or the gallery image's file name. */
  name: z.string(),
  format: imageFormatSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
  /** 1 for a still image; an animated WebP has more, and only its first frame is used. */
  frames: z.number().int().positive(),
  /** The staged file itself (gallery://ref/<id>, or /gallery/ref/<id> in the harness). */
  url: z.string(),
  /** A small picture for chips: the gallery thumbnail when staged from the gallery, else `url`. */
  thumbUrl: z.string(),
  /** The gallery image it was staged from (lineage), or null for a dropped or pasted file. */
  galleryImageId: z.string().nullable(),
  /**
   * A copy with marks drawn on it (`references.annotate`): the staged reference it was drawn on.
   * Absent for every other reference.
   */
  annotatedFrom: referenceIdSchema.optional(),
});
export type StagedReference = z.infer<typeof stagedReferenceSchema>;

/**
 * Megabytes (1 MB = 1024² bytes) with one decimal at most, rounded up: a file one byte over a
 * 10 MB limit reads "10.1 MB", not "10 MB". Shared so core's and the renderer's messages agree.
 */
export function megabytes(bytes: number): string {
  return (Math.ceil((bytes / (1024 * 1024)) * 10) / 10).toFixed(1).replace(/\.0$/, '');
}

/** Why a file opened with the app ("Open with", a path on the command line) was not staged. */
export const OPENED_FILE_PROBLEMS = [
  'missing',
  'unreadable',
  'folder',
  'empty',
  'size',
  'type',
  'damaged',
  'pixels',
  'failed',
] as const;
export type OpenedFileProblemKind = (typeof OPENED_FILE_PROBLEMS)[number];

export const openedFileProblemSchema = z.object({
  /** The file's name (not its folder). */
  name: z.string(),
  problem: z.enum(OPENED_FILE_PROBLEMS),
  /** A sentence naming the file, in the user's language. */
  message: z.string(),
});
export type OpenedFileProblem = z.infer<typeof openedFileProblemSchema>;

/** Files opened with the app, staged (in the order they came) or refused, not yet in the tray. */
export const openedReferencesSchema = z.object({
  references: z.array(stagedReferenceSchema),
  problems: z.array(openedFileProblemSchema),
  /** Opened files Banana Studio made: their settings, for "Reuse its settings" as on a drop. */
  madeHere: z.array(z.object({ referenceId: referenceIdSchema, metadata: embeddedMetadataSchema })),
});
export type OpenedReferences = z.infer<typeof openedReferencesSchema>;

export function nothingOpened(): OpenedReferences {
  return { references: [], problems: [], madeHere: [] };
}
