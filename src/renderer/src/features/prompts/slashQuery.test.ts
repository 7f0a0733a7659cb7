import { describe, expect, it } from 'vitest';
import { replaceToken, slashQuery } from './slashQuery';

describe('the / token at the caret', () => {
  it('starts at the prompt start or after white space, and runs to the caret', () => {
    expect(slashQuery('/', 1)).toEqual({ start: 0, end: 1, query: '' });
    expect(slashQuery('a fox /fil', 10)).toEqual({ start: 6, end: 10, query: 'fil' });
    expect(slashQuery('a fox\n/海报', 9)).toEqual({ start: 6, end: 9, query: '海报' });
  });

  it('is not a path, a URL, a fraction or a finished word', () => {
    expect(slashQuery('a/b', 3)).toBeNull();
    expect(slashQuery('see https://kie.ai', 18)).toBeNull();
    expect(slashQuery('1/2 cup', 3)).toBeNull();
    expect(slashQuery('/film grain', 11)).toBeNull();
    expect(slashQuery('/film', 0)).toBeNull();
    expect(slashQuery('/film', null)).toBeNull();
  });

  it('only looks at the caret: text after it does not matter', () => {
    expect(slashQuery('/fi and more', 3)).toEqual({ start: 0, end: 3, query: 'fi' });
  });

  it('a very long run without spaces is not a token', () => {
    const long = `x/${'a'.repeat(60)}`;
    expect(slashQuery(long, long.length)).toBeNull();
    const spaced = ` /${'a'.repeat(60)}`;
    expect(slashQuery(spaced, spaced.length)).toBeNull();
  });

  it('replaces the token and puts the caret after the insert', () => {
    const token = slashQuery('a fox /fil and more', 10)!;
    expect(replaceToken('a fox /fil and more', token, 'on film')).toEqual({
      text: 'a fox on film and more',
      caret: 13,
    });
  });
});
