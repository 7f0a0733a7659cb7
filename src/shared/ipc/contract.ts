import { z } from 'zod';
import { creditsSchema } from '../domain/credits';
import { galleryAlbumSchema, galleryImageSchema } from '../domain/image';
import {
  isoDateSchema,
  jobClearInputSchema,
  jobParamsSchema,
  jobSchema,
  MAX_CLEARED_IDS,
  referenceIdSchema,
} from '../domain/job';
import { logEntrySchema } from '../domain/log';
import { marksLayerSchema } from '../domain/marks';
import { PROMPT_HISTORY_MAX } from '../domain/prompts';
import { queueStatusSchema } from '../domain/queue';
import { openedReferencesSchema, stagedReferenceSchema } from '../domain/reference';
import { settingsPatchSchema, settingsViewSchema } from '../domain/settings';
import { tunnelStatusSchema } from '../domain/tunnel';
import { wireErrorSchema } from './result';
import { galleryRoutes, libraryStatusSchema, MAX_INSPECT_BASE64 } from './galleryRoutes';
import { runRoutes } from './runRoutes';

const empty = z.object({}).strict();

/**
 * `disabled`: this build has no release feed (the web harness, development, or an installer
 * built without a publish target) — updating is then the user's own download.
 */
export const UPDATE_STATES = ['disabled', 'up-to-date', 'available', 'error'] as const;
export const updateCheckSchema = z.object({
  state: z.enum(UPDATE_STATES),
  current: z.string(),
  latest: z.string().nullable(),
  message: z.string().nullable(),
});
export type UpdateCheck = z.infer<typeof updateCheckSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** 'electron' in the desktop app, 'web' in the harness. */
  host: z.enum(['electron', 'web']),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/**
 * What "Copy diagnostics" puts on the clipboard for a bug report: versions, settings and states,
 * never a secret, a hint of one, or a URL's secret path.
 */
export const diagnosticsSchema = z.object({
  generatedAt: isoDateSchema,
  app: appInfoSchema.extend({
    node: z.string().nullable(),
    electron: z.string().nullable(),
    chrome: z.string().nullable(),
    arch: z.string(),
    locale: z.string().nullable(),
  }),
  settings: settingsViewSchema.omit({ apiKeyHint: true }),
  queue: queueStatusSchema,
  tunnel: tunnelStatusSchema,
  library: libraryStatusSchema.nullable(),
  /** The latest warnings and errors, oldest first, already redacted by the logger. */
  logs: z.array(logEntrySchema),
});
export type Diagnostics = z.infer<typeof diagnosticsSchema>;

/**
 * Strict like every route input: an unknown field is a caller's mistake, refused, not dropped.
 * A run tag is core's to mint (jobs.submitRun), never the caller's.
 */
export const submitInputSchema = jobParamsSchema
  .omit({ run: true })
  .extend({
    prompt: z.string().trim().min(1, 'The prompt is empty.'),
  })
  .strict();
export type SubmitInput = z.infer<typeof submitInputSchema>;

/** "Test key": the balance the key can see, or the exact problem (bad key, offline, …). */
export const apiKeyTestSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), balance: z.number() }),
  z.object({ ok: z.literal(false), error: wireErrorSchema }),
]);
export type ApiKeyTest = z.infer<typeof apiKeyTestSchema>;

/**
 * Every request route, declared once. Types for handlers, the renderer API and both
 * transports are derived from this object.
 */
export const routes = {
  'app.info': { input: empty, output: appInfoSchema },
  'app.diagnostics': { input: empty, output: diagnosticsSchema },
  /** Opens the app's logs folder in the system file manager. */
  'app.openLogsFolder': { input: empty, output: empty },
  'app.checkForUpdates': { input: empty, output: updateCheckSchema },
  /**
   * Whether the window has the focus, told by the renderer as it changes: a failed job raises an
   * OS notification only when it has not (the window shows it already).
   */
  'app.setWindowFocus': { input: z.object({ focused: z.boolean() }).strict(), output: empty },
  'settings.get': { input: empty, output: settingsViewSchema },
  'settings.update': { input: settingsPatchSchema, output: settingsViewSchema },
  'settings.setApiKey': {
    input: z.object({ apiKey: z.string().trim().min(8).max(512).nullable() }).strict(),
    output: settingsViewSchema,
  },
  /** Checks a key against the configured KIE base URL without saving it; null tests the saved key. */
  'settings.testApiKey': {
    input: z.object({ apiKey: z.string().trim().min(8).max(512).nullable() }).strict(),
    output: apiKeyTestSchema,
  },
  'settings.setSecret': {
    input: z
      .object({
        name: z.enum(['ngrokAuthtoken', 'webhookHmacKey']),
        value: z.string().trim().min(8).max(512).nullable(),
      })
      .strict(),
    output: settingsViewSchema,
  },
  'tunnel.get': { input: empty, output: tunnelStatusSchema },
  'credits.get': { input: empty, output: creditsSchema },
  /** Submitted prompts, newest first (jobs.submit records each one). */
  'prompts.history': {
    input: z.object({ limit: z.number().int().min(1).max(PROMPT_HISTORY_MAX) }).strict(),
    output: z.array(z.string()).max(PROMPT_HISTORY_MAX),
  },
  'jobs.submit': { input: submitInputSchema, output: jobSchema },
  'jobs.list': {
    input: z.object({ limit: z.number().int().min(1).max(500) }).strict(),
    output: z.array(jobSchema),
  },
  'jobs.cancel': { input: z.object({ id: z.string().min(1).max(64) }).strict(), output: jobSchema },
  'jobs.retry': {
    input: z
      .object({
        id: z.string().min(1).max(64),
        /** Required to retry a job whose outcome is unknown: its first task may be charged too. */
        confirmMayChargeTwice: z.boolean().optional(),
      })
      .strict(),
    output: jobSchema,
  },
  /**
   * "Find it on KIE": the task id of an unknown-outcome job, pasted from KIE's dashboard. Checked
   * with recordInfo against the job's own request before it is attached and downloaded.
   */
  'jobs.findOnKie': {
    input: z
      .object({
        id: z.string().min(1).max(64),
        taskId: z
          .string()
          .trim()
          .min(1)
          .max(128)
          .regex(/^[A-Za-z0-9_-]+$/),
      })
      .strict(),
    output: jobSchema,
  },
  /**
   * Clears ended jobs from the job list (one, every finished, every failed); returns the ids
   * cleared. Images and gallery rows are untouched; a job still on its way or whose outcome is
   * unknown is refused.
   */
  'jobs.clear': { input: jobClearInputSchema, output: z.object({ cleared: z.array(z.string()) }) },
  'queue.get': { input: empty, output: queueStatusSchema },
  'queue.pause': { input: empty, output: queueStatusSchema },
  'queue.resume': { input: empty, output: queueStatusSchema },
  'logs.list': {
    input: z
      .object({ jobId: z.string().min(1).max(64).nullable(), limit: z.number().int().min(1).max(500) })
      .strict(),
    output: z.array(logEntrySchema),
  },
  /**
   * Stages a dropped or pasted file as a reference image (checked by content, size and a full
   * decode; the same bytes twice give the same id). The transport cap is the inspect cap: a
   * file just over the 30 MB that Pro and Nano Banana 2 take still reaches core, which refuses
   * it with a message naming it. Each model's own limit is checked with the job.
   */
  'references.add': {
    input: z
      .object({ base64: z.string().min(1).max(MAX_INSPECT_BASE64), name: z.string().max(255) })
      .strict(),
    output: stagedReferenceSchema,
  },
  /** Stages a library image as a reference; the result's lineage then points at it. */
  'references.fromGallery': {
    input: z.object({ imageId: z.string().min(1).max(64) }).strict(),
    output: stagedReferenceSchema,
  },
  /** Staged references by id, in the order asked; ids no longer staged are left out. */
  'references.get': {
    input: z.object({ ids: z.array(referenceIdSchema).max(100) }).strict(),
    output: z.array(stagedReferenceSchema),
  },
  /**
   * Takes the files opened with the app ("Open with", command line) since the last take: staged
   * references and the files refused, each once. The renderer calls it at start and on
   * `references.opened`.
   */
  'references.takeOpened': { input: empty, output: openedReferencesSchema },
  /**
   * Draws `layer` onto a copy of the staged reference `originalId` at its full size and stages
   * the copy, which remembers its original and its marks. No marks give the original back.
   */
  'references.annotate': {
    input: z.object({ originalId: referenceIdSchema, layer: marksLayerSchema }).strict(),
    output: stagedReferenceSchema,
  },
  /** A marked copy's original and its marks, to edit them again; null for any other reference. */
  'references.annotation': {
    input: z.object({ id: referenceIdSchema }).strict(),
    output: z.object({ original: stagedReferenceSchema, layer: marksLayerSchema }).nullable(),
  },
  ...galleryRoutes,
  ...runRoutes,
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
export type RouteInput<R extends RouteName> = z.input<Routes[R]['input']>;
export type RouteParsedInput<R extends RouteName> = z.output<Routes[R]['input']>;
export type RouteOutput<R extends RouteName> = z.output<Routes[R]['output']>;

export const ROUTE_NAMES = Object.keys(routes) as RouteName[];

export function isRouteName(value: string): value is RouteName {
  return Object.prototype.hasOwnProperty.call(routes, value);
}

/** Main → renderer pushes; small payloads. */
export const events = {
  'job.updated': jobSchema,
  /** Jobs cleared from the list (by any window); `reset`: too many to name, read the list again. */
  'jobs.cleared': z.object({ ids: z.array(z.string()).max(MAX_CLEARED_IDS), reset: z.boolean() }),
  'gallery.added': galleryImageSchema,
  'settings.changed': settingsViewSchema,
  'credits.changed': creditsSchema,
  'queue.changed': queueStatusSchema,
  'tunnel.changed': tunnelStatusSchema,
  /**
   * Images whose favourite/rating/tags/status/place changed, and ids that left the gallery
   * (trashed, purged, forgotten). `reset`: too much changed (a rescan, a big bulk action) —
   * reload the view.
   */
  'gallery.changed': z.object({
    images: z.array(galleryImageSchema).max(200),
    removedIds: z.array(z.string()).max(10_000),
    reset: z.boolean(),
  }),
  'albums.changed': z.array(galleryAlbumSchema),
  'library.changed': libraryStatusSchema,
  /**
   * An OS notification about a job was clicked (the host brought the window forward): show its
   * image in the viewer, or the job itself when it has none.
   */
  'notice.clicked': z.object({ jobId: z.string(), imageId: z.string().nullable() }),
  /** Files were opened with the app: `count` outcomes wait for `references.takeOpened`. */
  'references.opened': z.object({ count: z.number().int().positive() }),
} as const satisfies Record<string, z.ZodType>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export type AnyEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(value: string): value is EventName {
  return Object.prototype.hasOwnProperty.call(events, value);
}

export { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from './channels';
