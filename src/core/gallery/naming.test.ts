import { describe, expect, it } from 'vitest';
import { libraryRelativePath, promptSlug } from './naming';

describe('library file names', () => {
  it.each([
    ['A Cat, on a Sofa!', 'a-cat-on-a-sofa'],
    ['一只戴着墨镜的猫', '一只戴着墨镜的猫'],
    ['../../etc/passwd', 'etc-passwd'],
    ['C:\\Windows\\system32', 'c-windows-system32'],
    ['   ', 'image'],
    ['🍌🍌', 'image'],
    ['ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
  ])('slug of %j is %j', (prompt, slug) => expect(promptSlug(prompt)).toBe(slug));

  it('caps the slug length without a trailing dash', () => {
    const slug = promptSlug('word '.repeat(40));
    expect(Array.from(slug).length).toBeLessThanOrEqual(40);
    expect(slug.endsWith('-')).toBe(false);
  });

  it('builds YYYY/MM/<date>_<slug>_<short-id>.<ext>', () => {
    expect(
      libraryRelativePath(new Date('2026-03-09T10:00:00Z'), 'Sunset over Lake', 'ABCDEF0123456789', 'jpeg'),
    ).toBe('2026/03/2026-03-09_sunset-over-lake_abcdef01.jpg');
  });
});
