import { type AspectRatio, type ModelId, type Resolution } from '@shared/domain/models';
import type { JobParams } from '@shared/domain/job';
import { transaction, type Database } from '../db/database';
import { libraryRelativePath } from './naming';

export interface SeedOptions {
  /** PRNG seed: the same seed and options give the same rows. */
  seed?: number;
  /** The newest image's time; the rest spread over `spanDays` before it. */
  end?: Date;
  spanDays?: number;
  /** Prefix of task and album ids, and part of the id seed: seedings with different prefixes can share a database. */
  idPrefix?: string;
  favouriteRate?: number;
  ratedRate?: number;
  taggedRate?: number;
  albumCount?: number;
  albumRate?: number;
  importedRate?: number;
  demoRate?: number;
  missingRate?: number;
  trashedRate?: number;
  /** Share of images made from an earlier one (edits, with `parents`). */
  lineageRate?: number;
  chineseRate?: number;
}

export interface SeedResult {
  /** Every seeded image id, oldest first. */
  ids: string[];
  albumIds: string[];
  tags: string[];
}

const DEFAULTS: Required<Omit<SeedOptions, 'end'>> = {
  seed: 1,
  spanDays: 730,
  idPrefix: 'seed',
  favouriteRate: 0.08,
  ratedRate: 0.1,
  taggedRate: 0.3,
  albumCount: 12,
  albumRate: 0.15,
  importedRate: 0.05,
  demoRate: 0.03,
  missingRate: 0.01,
  trashedRate: 0.005,
  lineageRate: 0.05,
  chineseRate: 0.25,
};

const SUBJECTS = [
  'banana cat',
  'red fox',
  'old lighthouse',
  'astronaut',
  'tiny robot',
  'samurai',
  'koi fish',
  'vintage car',
  'owl',
  'ballerina',
  'dragon',
  'teapot',
  'mountain village',
  'sailing ship',
  'jellyfish',
  'street musician',
  'snow leopard',
  'treehouse',
  'cyborg girl',
  'bonsai tree',
  'hot air balloon',
  'golden retriever',
  'wizard',
  'cathedral',
  'strawberry cake',
  'motorcycle',
  'panda',
  'desert nomad',
  'glass bottle',
  'octopus',
  'knight in armour',
  'sunflower field',
  'steam locomotive',
  'polar bear',
  'paper crane',
  'jazz club',
  'ramen bowl',
  'chess player',
  'windmill',
  'hummingbird',
];
const PLACES = [
  'on a neon rooftop',
  'in a misty forest',
  'under a starry sky',
  'at golden hour',
  'in a rainy Tokyo alley',
  'on the surface of Mars',
  'in a cozy library',
  'by a frozen lake',
  'in an underwater city',
  'at a busy night market',
  'on a floating island',
  'in a sunlit kitchen',
  'inside a snow globe',
  'in a bamboo grove',
  'on a foggy pier',
  'in a cyberpunk megacity',
  'among cherry blossoms',
  'in a Victorian greenhouse',
  'at the edge of a volcano',
  'in a retro diner',
];
const STYLES = [
  'watercolor',
  'oil painting',
  'studio photo, 85mm',
  'isometric 3D render',
  'ukiyo-e woodblock print',
  'pixel art',
  'cinematic lighting',
  'low poly',
  'pencil sketch',
  'film photography, Kodak Portra',
  'claymation',
  'art nouveau poster',
  'vaporwave',
  'hyperrealistic, 8k',
  'flat vector illustration',
  'Studio Ghibli style',
];
const ZH_SUBJECTS = [
  '一只香蕉猫',
  '红色的狐狸',
  '古老的灯塔',
  '宇航员',
  '小机器人',
  '武士',
  '锦鲤',
  '老爷车',
  '猫头鹰',
  '芭蕾舞者',
  '中国龙',
  '熊猫',
  '茶壶',
  '山村',
  '帆船',
  '水母',
  '雪豹',
  '树屋',
  '旗袍少女',
  '盆景',
];
const ZH_PLACES = [
  '在霓虹屋顶上',
  '在迷雾森林里',
  '在星空下',
  '在黄昏时分',
  '在下雨的东京小巷',
  '在火星表面',
  '在温馨的书房',
  '在结冰的湖边',
  '在水下城市',
  '在热闹的夜市',
  '在漂浮的岛屿上',
  '在竹林中',
  '在樱花树下',
  '在江南水乡',
];
const ZH_STYLES = [
  '水彩风格',
  '油画',
  '赛博朋克风格',
  '电影光影',
  '国画山水',
  '像素艺术',
  '低多边形',
  '铅笔素描',
  '胶片摄影',
  '超写实，8K',
  '扁平插画',
  '宫崎骏风格',
];
const TAGS = [
  'portrait',
  'landscape',
  'concept',
  'product',
  'poster',
  'wallpaper',
  'client',
  'final',
  'wip',
  'reference',
  'cat',
  'night',
  'sunset',
  'city',
  'fantasy',
  'sci-fi',
  'print',
  'social',
  'avatar',
  'logo',
  '风景',
  '人物',
  '猫',
  '赛博朋克',
  '水彩',
  '国风',
  '壁纸',
  '头像',
];
const ALBUM_NAMES = [
  'Portfolio',
  'Client work',
  'Wallpapers',
  'Print shop',
  'Mood board',
  'Characters',
  'Book cover ideas',
  'Social posts',
  '旅行',
  '灵感',
  '作品集',
  '头像合集',
];
const MODELS: readonly (readonly [ModelId, number])[] = [
  ['google/nano-banana', 0.35],
  ['nano-banana-pro', 0.3],
  ['nano-banana-2', 0.3],
  ['google/nano-banana-edit', 0.05],
];
const RATIOS: readonly (readonly [AspectRatio, number])[] = [
  ['1:1', 0.3],
  ['16:9', 0.15],
  ['9:16', 0.15],
  ['3:4', 0.08],
  ['4:3', 0.08],
  ['3:2', 0.05],
  ['2:3', 0.05],
  ['4:5', 0.05],
  ['5:4', 0.03],
  ['21:9', 0.03],
  ['auto', 0.03],
];

/**
 * Inserts `count` realistic images (prompts in English and Chinese, every model and ratio,
 * dates over two years with same-millisecond batches, favourites, ratings, tags, albums,
 * lineage, a little trash) in one transaction. Deterministic for a given seed. Link rows go in
 * before their image (foreign keys deferred to the commit) so the FTS trigger indexes each
 * image once, complete.
 */
export function seedImages(db: Database, count: number, options: SeedOptions = {}): SeedResult {
  const o = { ...DEFAULTS, ...options };
  const random = seededRandom(o.seed ^ stringHash(o.idPrefix));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    let roll = random();
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll <= 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  };
  const chance = (rate: number): boolean => random() < rate;

  const endMs = (options.end ?? new Date('2026-06-30T12:00:00.000Z')).getTime();
  const startMs = endMs - o.spanDays * 24 * 3600_000;
  const stepMs = count > 0 ? (endMs - startMs) / count : 0;

  const insertImage = db.prepare(
    `INSERT INTO images (id, job_id, kie_task_id, result_index, params, rel_path, width, height, format, bytes,
       demo, created_at, origin, status, favourite, rating, parents, file_size, file_mtime_ms, trashed)
     VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertTag = db.prepare('INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING');
  const tagId = db.prepare('SELECT id FROM tags WHERE name = ?');
  const linkTag = db.prepare(
    'INSERT OR IGNORE INTO image_tags (tag_id, image_id, image_created_at) VALUES (?, ?, ?)',
  );
  const insertAlbum = db.prepare('INSERT INTO albums (id, name, created_at) VALUES (?, ?, ?)');
  const linkAlbum = db.prepare(
    'INSERT OR IGNORE INTO album_images (album_id, image_id, image_created_at, added_at) VALUES (?, ?, ?, ?)',
  );
  const insertTrash = db.prepare(
    'INSERT INTO trash (image_id, trashed_at, original_rel_path, trash_rel_path) VALUES (?, ?, ?, ?)',
  );

  const ids: string[] = [];
  const albumIds: string[] = [];
  transaction(db, () => {
    db.exec('PRAGMA defer_foreign_keys = ON');
    // New images are indexed for search once each at the end, complete with their tags and
    // albums, instead of by every trigger on the way (dropped and put back in this transaction).
    const triggers = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'trigger'
         AND name IN ('images_fts_insert', 'image_tags_fts_insert', 'album_images_fts_insert')`,
      )
      .all() as unknown as { name: string; sql: string }[];
    const firstSeq =
      ((db.prepare('SELECT max(seq) AS seq FROM images').get() as { seq: number | null }).seq ?? 0) + 1;
    for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);
    const tagIds = TAGS.map((name) => {
      insertTag.run(name);
      return { name, id: (tagId.get(name) as { id: number }).id };
    });
    for (let a = 0; a < o.albumCount; a += 1) {
      const id = `${o.idPrefix}-album-${a}`;
      const name = a < ALBUM_NAMES.length ? (ALBUM_NAMES[a] as string) : `Album ${a + 1}`;
      insertAlbum.run(id, name, new Date(startMs).toISOString());
      albumIds.push(id);
    }

    let jobLeft = 0;
    let jobTask = '';
    let jobAt = '';
    let jobParams: JobParams | null = null;
    let resultIndex = 0;
    for (let n = 0; n < count; n += 1) {
      if (jobLeft === 0 || jobParams === null) {
        // A job yields 1–4 images stamped in the same millisecond.
        jobLeft = 1 + Math.floor(random() * random() * 4);
        jobTask = `${o.idPrefix}-task-${n}`;
        jobAt = new Date(Math.round(startMs + n * stepMs + random() * stepMs)).toISOString();
        jobParams = randomParams();
        resultIndex = 0;
      }
      jobLeft -= 1;
      const id = `${hex(random)}${hex(random)}${hex(random)}${hex(random)}`;
      const imported = chance(o.importedRate);
      const demo = !imported && chance(o.demoRate);
      const [width, height] = dimensions(jobParams.aspectRatio, jobParams.resolution);
      const format = jobParams.outputFormat;
      const bytes = Math.round(width * height * (format === 'png' ? 1.4 : 0.35) * (0.7 + random() * 0.6));
      const relPath = libraryRelativePath(new Date(jobAt), jobParams.prompt, id, format);
      const trashed = chance(o.trashedRate);
      const parents = jobParams.model === 'google/nano-banana-edit' || chance(o.lineageRate);
      const parentId = parents && ids.length > 0 ? ids[Math.floor(random() * ids.length)] : undefined;

      if (chance(o.taggedRate)) {
        const tagCount = 1 + Math.floor(random() * 3);
        for (let t = 0; t < tagCount; t += 1) linkTag.run(pick(tagIds).id, id, jobAt);
      }
      if (o.albumCount > 0 && chance(o.albumRate)) {
        linkAlbum.run(pick(albumIds), id, jobAt, jobAt);
        if (chance(0.3)) linkAlbum.run(pick(albumIds), id, jobAt, jobAt);
      }
      const rating = chance(o.ratedRate) ? 1 + Math.floor(random() * 5) : 0;
      insertImage.run(
        id,
        imported ? null : jobTask,
        resultIndex,
        JSON.stringify(jobParams),
        trashed ? `.trash/${relPath}` : relPath,
        width,
        height,
        format,
        bytes,
        demo ? 1 : 0,
        jobAt,
        imported ? 'imported' : 'generated',
        chance(o.missingRate) ? 'missing' : 'ok',
        chance(o.favouriteRate) ? 1 : 0,
        rating,
        JSON.stringify(parentId === undefined ? [] : [parentId]),
        bytes,
        Date.parse(jobAt),
        trashed ? 1 : 0,
      );
      if (trashed) insertTrash.run(id, jobAt, relPath, `.trash/${relPath}`);
      resultIndex += 1;
      ids.push(id);
    }
    db.prepare('INSERT INTO images_fts_reindex (seq) SELECT seq FROM images WHERE seq >= ?').run(firstSeq);
    for (const trigger of triggers) db.exec(trigger.sql);
  });
  return { ids, albumIds, tags: [...TAGS] };

  function randomParams(): JobParams {
    const model = weighted(MODELS);
    const resolution: Resolution | null =
      model === 'nano-banana-pro' || model === 'nano-banana-2' ? pick(['1K', '2K', '4K'] as const) : null;
    return {
      model,
      prompt: chance(o.chineseRate) ? chinesePrompt() : englishPrompt(),
      aspectRatio: weighted(RATIOS),
      outputFormat: chance(0.8) ? 'png' : 'jpeg',
      resolution,
    };
  }

  function englishPrompt(): string {
    const extra = chance(0.4) ? `, ${pick(STYLES)}` : '';
    return `a ${pick(SUBJECTS)} ${pick(PLACES)}, ${pick(STYLES)}${extra}`;
  }

  function chinesePrompt(): string {
    return `${pick(ZH_SUBJECTS)}${pick(ZH_PLACES)}，${pick(ZH_STYLES)}`;
  }
}

function dimensions(ratio: AspectRatio, resolution: Resolution | null): [number, number] {
  const base = resolution === '4K' ? 4096 : resolution === '2K' ? 2048 : 1024;
  const [w, h] = ratio === 'auto' ? [1, 1] : ratio.split(':').map(Number);
  const wide = (w ?? 1) / (h ?? 1);
  return wide >= 1 ? [base, Math.round(base / wide)] : [Math.round(base * wide), base];
}

function hex(random: () => number): string {
  return Math.floor(random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
}

function stringHash(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** A small, fast PRNG (mulberry32): the same seed gives the same sequence, for tests and benches. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const SEED_VOCABULARY = {
  SUBJECTS,
  PLACES,
  STYLES,
  ZH_SUBJECTS,
  ZH_PLACES,
  ZH_STYLES,
  TAGS,
  ALBUM_NAMES,
};
