/**
 * The gallery index at 100k images: open + migration check, pages at random positions (with and
 * without a filter), and full-text searches. Run alone with
 * `npx tsx --tsconfig tsconfig.node.json bench/gallery.ts`.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GalleryPageCursor, ImageQuery } from '../src/shared/domain/image';
import { openDatabase } from '../src/core/db/database';
import { ImageIndex } from '../src/core/gallery/index';
import { cursorOf } from '../src/core/gallery/sorting';
import { SEED_VOCABULARY, seededRandom, seedImages } from '../src/core/gallery/seed';
import { percentile, round, withTempDir, type Figures } from './support';

const IMAGES = 100_000;
const PAGES = 200;
const SEARCHES = 100;
const PAGE_SIZE = 200;

export async function benchGallery(count = IMAGES): Promise<Figures> {
  return withTempDir(async (dir) => {
    const file = `${dir}/library.db`;
    const seedStarted = performance.now();
    const seedDb = openDatabase(file);
    const seeded = seedImages(seedDb, count, { seed: 42 });
    seedDb.close();
    const seedMs = performance.now() - seedStarted;

    // Open + migration check, as at app start: the worst of a few re-opens.
    const opens: number[] = [];
    for (let n = 0; n < 5; n += 1) {
      const started = performance.now();
      const db = openDatabase(file);
      new ImageIndex(db);
      opens.push(performance.now() - started);
      db.close();
    }

    const db = openDatabase(file);
    const index = new ImageIndex(db);
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    /** A page anywhere in the sort: the key of a random image, in the sort's own cursor shape. */
    const randomCursor = (q: ImageQuery = {}): GalleryPageCursor | null => {
      const roll = random();
      if (roll < 0.1) return null;
      const image = index.get(pick(seeded.ids));
      if (!image) return null;
      const key = cursorOf(image, q.sort ?? 'newest');
      return roll < 0.6 ? { after: key } : { before: key };
    };

    const filters: ImageQuery[] = [
      { models: ['nano-banana-pro'] },
      { models: ['google/nano-banana-edit'] },
      { models: ['nano-banana-2', 'google/nano-banana'] },
      { aspectRatios: ['16:9'] },
      { aspectRatios: ['21:9'] },
      { favouritesOnly: true },
      { minRating: 4 },
      { albumId: pick(seeded.albumIds) },
      { tag: 'portrait' },
      { tag: '风景' },
      { from: '2025-03-01T00:00:00.000Z', to: '2025-09-30T23:59:59.999Z' },
      { origin: 'imported' },
      { origin: 'demo' },
      { status: 'missing' },
      { sort: 'oldest' },
    ];
    // The rating and model sorts, alone and with the filters that keep to their own index.
    const sorted: ImageQuery[] = [
      { sort: 'rating' },
      { sort: 'rating', minRating: 3 },
      { sort: 'rating', models: ['nano-banana-pro'] },
      { sort: 'model' },
      { sort: 'model', models: ['nano-banana-2', 'google/nano-banana'] },
      { sort: 'model', minRating: 2 },
    ];
    const searches = searchTerms(random);

    for (let n = 0; n < 20; n += 1) index.query(pick(filters), randomCursor(), PAGE_SIZE);

    const pageTimes: number[] = [];
    const filteredTimes: number[] = [];
    for (let n = 0; n < PAGES; n += 1) {
      const q = n % 3 === 0 ? {} : pick(filters);
      const cursor = randomCursor(q);
      const started = performance.now();
      index.query(q, cursor, PAGE_SIZE);
      const elapsed = performance.now() - started;
      pageTimes.push(elapsed);
      if (n % 3 !== 0) filteredTimes.push(elapsed);
    }

    // A page of a sort starts after one of its own items, as paging the gallery does.
    const members = sorted.map((q) => index.ids(q, count));
    const sortedTimes: number[] = [];
    for (let n = 0; n < PAGES; n += 1) {
      const which = Math.floor(random() * sorted.length);
      const q = sorted[which] as ImageQuery;
      const image = random() < 0.1 ? null : index.get(pick(members[which] ?? []));
      const key = image ? cursorOf(image, q.sort ?? 'newest') : null;
      const cursor = key === null ? null : random() < 0.5 ? { after: key } : { before: key };
      const started = performance.now();
      index.query(q, cursor, PAGE_SIZE);
      sortedTimes.push(performance.now() - started);
    }

    const searchTimes: number[] = [];
    for (let n = 0; n < SEARCHES; n += 1) {
      const q: ImageQuery = { text: searches[n % searches.length] };
      const cursor = n % 4 === 3 ? randomCursor() : null;
      const started = performance.now();
      index.query(q, cursor, PAGE_SIZE);
      searchTimes.push(performance.now() - started);
    }
    db.close();

    return {
      'gallery.seed_100k_ms': round(seedMs, 0),
      'gallery.open_100k_ms': round(Math.max(...opens)),
      'gallery.page_p95_ms': round(percentile(pageTimes, 95)),
      'gallery.page_filtered_p95_ms': round(percentile(filteredTimes, 95)),
      'gallery.page_sorted_p95_ms': round(percentile(sortedTimes, 95)),
      'gallery.search_p95_ms': round(percentile(searchTimes, 95)),
      'gallery.search_max_ms': round(Math.max(...searchTimes)),
    };
  });
}

/** Common and rare words, Chinese of 1, 2 and 3+ characters, tags, several terms, no match. */
function searchTerms(random: () => number): string[] {
  const { SUBJECTS, PLACES, STYLES, ZH_SUBJECTS, TAGS, ALBUM_NAMES } = SEED_VOCABULARY;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const word = (phrases: readonly string[]): string =>
    pick(
      pick(phrases)
        .split(/[\s,]+/)
        .filter((part) => part.length >= 3),
    );
  const terms = [
    'banana',
    '香蕉',
    '猫',
    '香蕉猫',
    '赛博朋克',
    '水彩',
    'watercolor',
    'lighthouse',
    'cyberpunk city',
    'cat rooftop neon',
    'zzzz-no-match',
    'portra',
    '4k',
    'pro',
  ];
  for (let n = 0; n < 40; n += 1) terms.push(word(SUBJECTS), word(PLACES), word(STYLES));
  for (let n = 0; n < 10; n += 1) {
    const zh = pick(ZH_SUBJECTS);
    const start = Math.floor(random() * Math.max(1, zh.length - 2));
    terms.push(zh.slice(start, start + 1 + Math.floor(random() * 3)), pick(TAGS), pick(ALBUM_NAMES));
  }
  for (let n = terms.length - 1; n > 0; n -= 1) {
    const other = Math.floor(random() * (n + 1));
    [terms[n], terms[other]] = [terms[other] as string, terms[n] as string];
  }
  return terms;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchGallery().then(
    (figures) => {
      for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(32)} ${value}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
