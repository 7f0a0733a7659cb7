import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { UNKNOWN_MODEL } from '@shared/domain/image';
import { jobStateSchema, type Job, type JobParams } from '@shared/domain/job';
import { costOf, type CostOverrides } from '@shared/domain/pricing';
import { repeatedVariant, runVariants, type RunVariation } from '@shared/domain/run';
import type { MissingReference, RunView } from '@shared/ipc/runRoutes';
import { AppError } from '@shared/ipc/result';
import type { GalleryLibrary } from '../gallery/library';
import { latestPerVariant, type RunIndex } from '../gallery/runs';
import { checkTaskParams } from '../kie/request';
import type { Logger } from '../log/logger';
import type { ReferenceStore } from '../references/staging';
import { isTerminal } from './stateMachine';

export interface VariationDeps {
  submit(params: JobParams, demo: boolean): Job;
  library: GalleryLibrary;
  references: ReferenceStore;
  runs: RunIndex;
  /** The settings a submit depends on, read at each call. */
  sending(): { demoMode: boolean; costOverrides: CostOverrides };
  /** Whether a KIE key is saved (Demo mode needs none). */
  hasApiKey(): Promise<boolean>;
  /** NO_CREDITS when the known balance cannot pay `cost` (see CreditsService). */
  checkAffordable(cost: number): Promise<void>;
  recordPrompt(prompt: string): void;
  log: Logger;
}

/**
 * "Again ×N" and A/B runs: several ordinary jobs from one request. Everything is checked before
 * the first job is queued (key, references on disk, each variant as KIE would check it, the
 * balance for all of them), so a refusal sends nothing and a request is never half sent.
 */
export class Variations {
  constructor(private readonly deps: VariationDeps) {}

  /** The references of `imageId` that Again could not send: not staged any more, or file gone. */
  async missingFor(imageId: string): Promise<MissingReference[]> {
    const missing = await this.missing(this.paramsOf(imageId).references ?? []);
    if (missing.length > 0) this.deps.log.warn('Again would miss reference images', { imageId, missing });
    return missing;
  }

  async again(imageId: string, count: number): Promise<Job[]> {
    const params = this.paramsOf(imageId);
    const { demoMode, costOverrides } = this.deps.sending();
    await this.ensureSendable(params.references ?? [], demoMode, { imageId });
    checkTaskParams(params, params.references?.length ?? 0);
    if (!demoMode) {
      await this.deps.checkAffordable(count * costOf(params.model, params.resolution, costOverrides));
    }
    const jobs = Array.from({ length: count }, () => this.deps.submit(params, demoMode));
    this.deps.log.info('Again queued', { imageId, count, jobIds: jobs.map((job) => job.id) });
    return jobs;
  }

  async submitRun(
    base: Omit<JobParams, 'run'>,
    variation: RunVariation,
  ): Promise<{ runId: string; jobs: Job[] }> {
    const variants = runVariants(base, variation);
    const repeated = repeatedVariant(variants);
    if (repeated >= 0) {
      throw new AppError('VALIDATION', `Variant ${repeated + 1} is the same as an earlier one.`, {
        reason: 'run-repeated',
        index: repeated,
      });
    }
    const references = base.references ?? [];
    const { demoMode, costOverrides } = this.deps.sending();
    await this.ensureSendable(references, demoMode, {});
    for (const [index, variant] of variants.entries()) {
      try {
        this.deps.references.checkForModel(references, variant.params.model);
        checkTaskParams(variant.params, references.length);
      } catch (error) {
        // The same refusal as a single job's, told which variant it is about.
        if (error instanceof AppError) {
          throw new AppError(error.code, `Variant ${index + 1}: ${error.message}`, {
            ...error.details,
            variant: index,
          });
        }
        throw error;
      }
    }
    if (!demoMode) {
      const total = variants.reduce(
        (sum, variant) => sum + costOf(variant.params.model, variant.params.resolution, costOverrides),
        0,
      );
      await this.deps.checkAffordable(total);
    }
    const runId = randomUUID();
    const size = variants.length;
    const jobs = variants.map((variant, index) =>
      this.deps.submit(
        { ...variant.params, run: { id: runId, vary: variation.vary, label: variant.label, index, size } },
        demoMode,
      ),
    );
    const prompts =
      variation.vary === 'prompt' ? variants.map((variant) => variant.params.prompt) : [base.prompt];
    for (const prompt of prompts) this.deps.recordPrompt(prompt);
    this.deps.log.info('A/B run queued', {
      runId,
      vary: variation.vary,
      size,
      jobIds: jobs.map((job) => job.id),
    });
    return { runId, jobs };
  }

  run(runId: string): RunView {
    const jobs = this.deps.runs.jobsOf(runId);
    const images = latestPerVariant(this.deps.runs.imagesOf(runId));
    if (jobs.length === 0 && images.length === 0) {
      throw new AppError('NOT_FOUND', 'This A/B run is no longer in the library.', { reason: 'no-run' });
    }
    const pending = jobs.filter((job) => {
      const parsed = jobStateSchema.safeParse(job.state);
      return parsed.success && !isTerminal(parsed.data);
    }).length;
    const size = images[0]?.run.size ?? jobs.find((job) => job.size !== null)?.size ?? null;
    return {
      runId,
      size: size !== null && size >= 2 && size <= 4 ? size : null,
      images: images.map(({ record, run }) => ({ image: this.deps.library.toWire(record), run })),
      pending,
    };
  }

  /** The image's settings as a job's: exactly what it was made with, without its run tag. */
  private paramsOf(imageId: string): JobParams {
    const record = this.deps.library.index.get(imageId);
    if (!record || record.trashed) {
      throw new AppError('NOT_FOUND', 'This image is no longer in the library.', { imageId });
    }
    const { run: _run, model, ...rest } = record.params;
    if (model === UNKNOWN_MODEL) {
      throw new AppError(
        'VALIDATION',
        'This picture was not made by Banana Studio, so there are no settings to run again.',
        { reason: 'not-generated', imageId },
      );
    }
    return { ...rest, model };
  }

  /** Refuses, naming what is wrong, when nothing can be sent: no key, or references gone. */
  private async ensureSendable(
    references: readonly string[],
    demoMode: boolean,
    context: Record<string, unknown>,
  ): Promise<void> {
    if (!demoMode && !(await this.deps.hasApiKey())) {
      throw new AppError(
        'UNAUTHORIZED',
        'No KIE API key is set. Add one in Settings, or turn on Demo mode to try the app without one.',
        { reason: 'missing-key' },
      );
    }
    const missing = await this.missing(references);
    if (missing.length === 0) return;
    const names = missing.map((item) => (item.name ? `“${item.name}”` : item.id)).join(', ');
    this.deps.log.warn('Reference images are gone; nothing was sent', { ...context, missing });
    throw new AppError(
      'VALIDATION',
      `Some reference images are gone (${names}); nothing was sent. Add them again to the tray.`,
      { reason: 'references-missing', missing },
    );
  }

  private async missing(ids: readonly string[]): Promise<MissingReference[]> {
    const found = await Promise.all(
      ids.map(async (id): Promise<MissingReference | null> => {
        const record = this.deps.references.get(id);
        if (!record) return { id, name: null };
        const present = await stat(this.deps.references.pathOf(record)).then(
          (info) => info.isFile(),
          () => false,
        );
        return present ? null : { id, name: record.name };
      }),
    );
    return found.filter((item): item is MissingReference => item !== null);
  }
}
