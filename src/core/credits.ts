import type { Credits } from '@shared/domain/credits';
import type { AnyEvent } from '@shared/ipc/contract';
import { AppError } from '@shared/ipc/result';
import type { KieApi } from './kie/types';

/** The credit balance, read from KIE (or the demo simulator) and pushed when it changes. */
export class CreditsService {
  /** The latest balance read, to refuse a job it clearly cannot pay for. */
  private last: Credits | null = null;

  constructor(
    private readonly kieFor: (demo: boolean) => Promise<KieApi>,
    private readonly demoMode: () => boolean,
    private readonly emit: (event: AnyEvent) => void,
    private readonly now: () => Date,
  ) {}

  async refresh(): Promise<Credits> {
    const demo = this.demoMode();
    const kie = await this.kieFor(demo);
    const credits: Credits = { balance: await kie.credits(), demo, checkedAt: this.now().toISOString() };
    this.last = credits;
    this.emit({ name: 'credits.changed', payload: credits });
    return credits;
  }

  /**
   * Throws NO_CREDITS when the real KIE balance is known to be below `cost`. A low balance read
   * earlier may be stale (the user topped up), so it is read again before refusing; when it
   * cannot be read, the job goes ahead and KIE's own 402 pauses the queue.
   */
  async checkAffordable(cost: number): Promise<void> {
    if (this.last === null || this.last.demo || this.last.balance >= cost) return;
    let fresh: Credits;
    try {
      fresh = await this.refresh();
    } catch {
      return;
    }
    if (fresh.demo || fresh.balance >= cost) return;
    throw new AppError(
      'NO_CREDITS',
      `This image costs about ${cost} credits and the KIE balance is ${fresh.balance}. Top up at kie.ai.`,
      { balance: fresh.balance, cost },
    );
  }
}
