import { embeddedMetadataSchema, type EmbeddedMetadata } from '@shared/domain/imageMetadata';
// The schema is shared: the renderer shows what a dropped file carries.
export {
  EMBEDDED_METADATA_APP,
  EMBEDDED_METADATA_VERSION,
  embeddedMetadataSchema,
  type EmbeddedMetadata,
} from '@shared/domain/imageMetadata';

/** Parses JSON found in a file; anything that is not our metadata is `null`, never an exception. */
export function parseEmbeddedMetadata(json: string): EmbeddedMetadata | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = embeddedMetadataSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The text `Software` / `xmp:CreatorTool` carry. */
export function creatorTool(meta: EmbeddedMetadata): string {
  return `Banana Studio ${meta.appVersion}`;
}
