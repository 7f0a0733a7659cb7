import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, events, ROUTE_NAMES, routes } from './contract';
import { routeFixtures } from './fixtures';
import { resultSchema } from './result';

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('IPC contract', () => {
  it('has a fixture for every route and no extra ones', () => {
    expect(Object.keys(routeFixtures).sort()).toEqual([...ROUTE_NAMES].sort());
  });

  for (const route of ROUTE_NAMES) {
    it(`${route}: input and output survive JSON and re-parse`, () => {
      const fixture = routeFixtures[route];
      const input = routes[route].input.parse(roundTrip(fixture.input));
      expect(roundTrip(input)).toEqual(roundTrip(routes[route].input.parse(fixture.input)));
      const output = routes[route].output.parse(roundTrip(fixture.output));
      expect(output).toEqual(roundTrip(fixture.output));
      const wrapped = resultSchema(routes[route].output).parse(
        roundTrip({ ok: true, value: fixture.output }),
      );
      expect(wrapped.ok).toBe(true);
    });
  }

  it('event payloads are JSON-safe and re-parse', () => {
    const samples: Record<string, unknown> = {
      'job.updated': routeFixtures['jobs.submit'].output,
      'jobs.cleared': { ids: routeFixtures['jobs.clear'].output.cleared, reset: false },
      'gallery.added': routeFixtures['gallery.get'].output,
      'settings.changed': routeFixtures['settings.get'].output,
      'credits.changed': routeFixtures['credits.get'].output,
      'queue.changed': routeFixtures['queue.get'].output,
      'tunnel.changed': routeFixtures['tunnel.get'].output,
      'gallery.changed': {
        images: [routeFixtures['gallery.get'].output],
        removedIds: ['f0e1d2c3b4a5968778695a4b3c2d1e0f'],
        reset: false,
      },
      'albums.changed': routeFixtures['albums.list'].output,
      'library.changed': routeFixtures['library.status'].output,
      'references.opened': { count: 2 },
      'notice.clicked': { jobId: routeFixtures['jobs.submit'].output.id, imageId: null },
    };
    expect(Object.keys(samples).sort()).toEqual([...EVENT_NAMES].sort());
    for (const name of EVENT_NAMES) {
      expect(events[name].parse(roundTrip(samples[name]))).toEqual(samples[name]);
    }
  });

  it('an error result re-parses with its code', () => {
    const parsed = resultSchema(routes['credits.get'].output).parse(
      roundTrip({ ok: false, error: { code: 'NO_CREDITS', message: 'Top up.' } }),
    );
    expect(parsed).toEqual({ ok: false, error: { code: 'NO_CREDITS', message: 'Top up.' } });
  });
});
