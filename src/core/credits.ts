import type { Credits } from '@shared/domain/credits';
import type { AnyEvent } from '@shared/ipc/contract';
import type { KieApi } from './kie/types';

/** The credit balance, read from KIE (or the demo simulator) and pushed when it changes. */
export class CreditsService {
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
    this.emit({ name: 'credits.changed', payload: credits });
    return credits;
  }
}
