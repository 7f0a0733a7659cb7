import { beforeEach, describe, expect, it } from 'vitest';
import type { SettingsView } from '@shared/domain/settings';
import { routeFixtures } from '@shared/ipc/fixtures';
import { setApi, type Api } from '../ipc/api';
import { mustAskBeforeStoring, saveSecret, unreadableInUse, useStorageQuestion } from './secrets';
import { useSettings } from './stores';

const fixture = routeFixtures['settings.get'].output as SettingsView;
const view = (patch: Partial<SettingsView> = {}): SettingsView => ({
  ...fixture,
  weakSecretStorage: 'ask',
  secretStorage: { mode: 'session', weakBackend: true, unreadable: [] },
  ...patch,
});

describe('secret helpers', () => {
  it('asks only on a weak backend before the user has answered', () => {
    expect(mustAskBeforeStoring(view())).toBe(true);
    expect(mustAskBeforeStoring(view({ weakSecretStorage: 'session' }))).toBe(false);
    expect(mustAskBeforeStoring(view({ weakSecretStorage: 'store' }))).toBe(false);
    expect(
      mustAskBeforeStoring(view({ secretStorage: { mode: 'keychain', weakBackend: false, unreadable: [] } })),
    ).toBe(false);
    expect(mustAskBeforeStoring(null)).toBe(false);
  });

  it.each([
    ['off', ['kieApiKey']],
    ['manual', ['kieApiKey', 'webhookHmacKey']],
    ['ngrok', ['kieApiKey', 'ngrokAuthtoken', 'webhookHmacKey']],
  ] as const)('unreadable secrets that matter with tunnel mode %s', (tunnelMode, expected) => {
    const secretStorage: SettingsView['secretStorage'] = {
      mode: 'keychain',
      weakBackend: false,
      unreadable: ['kieApiKey', 'ngrokAuthtoken', 'webhookHmacKey'],
    };
    expect(unreadableInUse(view({ tunnelMode, secretStorage }))).toEqual(expected);
  });
});

describe('saveSecret', () => {
  const requests: { route: string; input: unknown }[] = [];

  beforeEach(() => {
    requests.length = 0;
    const api: Api = {
      async request(route, input) {
        requests.push({ route, input });
        const current = useSettings.getState().view ?? view();
        const answer =
          route === 'settings.update' ? { ...current, ...(input as Partial<SettingsView>) } : current;
        return { ok: true, value: answer } as never;
      },
      on: () => () => undefined,
    };
    setApi(api);
    useSettings.setState({ view: view(), error: null });
    useStorageQuestion.setState({ open: false, resolve: null });
  });

  it('asks first, remembers the answer, then saves the secret', async () => {
    const saving = saveSecret('kieApiKey', 'kie-0123456789');
    expect(useStorageQuestion.getState().open).toBe(true);
    expect(requests).toEqual([]);
    useStorageQuestion.getState().answer('session');
    expect(await saving).toBe(true);
    expect(requests).toEqual([
      { route: 'settings.update', input: { weakSecretStorage: 'session' } },
      { route: 'settings.setApiKey', input: { apiKey: 'kie-0123456789' } },
    ]);
  });

  it('closing the question saves nothing', async () => {
    const saving = saveSecret('ngrokAuthtoken', 'ngrok-0123456789');
    useStorageQuestion.getState().answer(null);
    expect(await saving).toBe(false);
    expect(requests).toEqual([]);
  });

  it('does not ask once answered, nor to remove a secret', async () => {
    expect(await saveSecret('webhookHmacKey', null)).toBe(true);
    useSettings.setState({ view: view({ weakSecretStorage: 'store' }) });
    expect(await saveSecret('webhookHmacKey', 'whsec-0123456789')).toBe(true);
    expect(useStorageQuestion.getState().open).toBe(false);
    expect(requests.map((request) => request.route)).toEqual(['settings.setSecret', 'settings.setSecret']);
  });
});
