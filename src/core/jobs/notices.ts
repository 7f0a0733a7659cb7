import type { Job } from '@shared/domain/job';
import type { AnyEvent } from '@shared/ipc/contract';
import type { ResolvedImageFile } from '../core';
import type { Logger } from '../log/logger';
import type { Shell } from '../ports';

/** The longest edge of the picture in a notice: OS notifications show it small. */
export const NOTICE_IMAGE_SIZE = 256;

export type NoticeKind = 'done' | 'failed';

/**
 * Which OS notice a job that just settled gives (null: none). A finished image always gets one
 * (when notices are on); a failure only while no window has the focus: in the window, the job
 * card and a toast already say it.
 */
export function noticeKind(job: Pick<Job, 'state'>, windowFocused: boolean): NoticeKind | null {
  if (job.state === 'done') return 'done';
  if ((job.state === 'failed' || job.state === 'unknown-outcome') && !windowFocused) return 'failed';
  return null;
}

export interface JobNoticesDeps {
  shell: Pick<Shell, 'notify'>;
  /** The `notifications` setting. */
  enabled(): boolean;
  /** Core's own text in the user's language. */
  t(key: string, values?: Record<string, string>): string;
  /** The image's thumbnail file, opened (made first if needed); null when there is none. */
  thumbnailFile(imageId: string): Promise<ResolvedImageFile | null>;
  emit(event: AnyEvent): void;
  log: Logger;
}

/**
 * OS notifications for settled jobs: the finished image's thumbnail, and a click that brings the
 * window forward (the host does that) and opens the image in the viewer, or shows the failed job.
 * Whether a window has the focus is told by the renderer, the one that knows it in both hosts.
 */
export class JobNotices {
  /** Until a window says otherwise, nobody is looking: a failure is worth a notice. */
  private windowFocused = false;

  constructor(private readonly deps: JobNoticesDeps) {}

  setWindowFocused(focused: boolean): void {
    this.windowFocused = focused;
  }

  async settled(job: Job): Promise<void> {
    if (!this.deps.enabled()) return;
    const kind = noticeKind(job, this.windowFocused);
    if (kind === null) return;
    const { t } = this.deps;
    const prompt = job.params.prompt.slice(0, 80);
    const imageId = kind === 'done' ? (job.imageIds[0] ?? null) : null;
    const onClick = () => {
      this.deps.log.info('Notification clicked', { jobId: job.id, imageId });
      this.deps.emit({ name: 'notice.clicked', payload: { jobId: job.id, imageId } });
    };
    if (kind === 'done') {
      const imagePng = imageId === null ? null : await this.picture(imageId);
      this.deps.shell.notify(t('notifications.doneTitle'), prompt, {
        ...(imagePng ? { imagePng } : {}),
        onClick,
      });
      return;
    }
    const reason = job.error ? t(`errors.${job.error.code}`) : t(`states.${job.state}`);
    this.deps.shell.notify(
      t('notifications.failedTitle'),
      t('notifications.failedBody', { prompt, reason }),
      {
        onClick,
      },
    );
  }

  /**
   * The thumbnail as a small PNG: thumbnails are WebP, which Electron's nativeImage cannot read.
   * A notice without its picture is still worth sending.
   */
  private async picture(imageId: string): Promise<Buffer | null> {
    let file: ResolvedImageFile | null = null;
    try {
      file = await this.deps.thumbnailFile(imageId);
      if (!file) return null;
      const { default: sharp } = await import('sharp');
      return await sharp(await file.handle.readFile())
        .resize(NOTICE_IMAGE_SIZE, NOTICE_IMAGE_SIZE, { fit: 'inside', withoutEnlargement: true })
        .png()
        .toBuffer();
    } catch (error) {
      this.deps.log.warn('No picture for the notification', { imageId, error });
      return null;
    } finally {
      await file?.handle.close().catch(() => undefined);
    }
  }
}
