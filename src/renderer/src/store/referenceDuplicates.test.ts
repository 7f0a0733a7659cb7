import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StagedReference } from '@shared/domain/reference';
import { setApi, type Api } from '../ipc/api';
import { addReferenceFiles } from './referenceActions';
import { useCompose, useUi } from './stores';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG-looking file whose bytes after the signature are `fill` (same size, different bytes). */
function pngFile(name: string, fill: number, size = 64): File {
  const bytes = new Uint8Array(size).fill(fill);
  bytes.set(PNG_SIGNATURE);
  return new File([bytes], name, { type: 'image/png' });
}

const incoming = (...files: File[]) => files.map((file) => ({ file, isDirectory: false }));

describe('files already in the tray (Nano Banana Pro, 8 at most)', () => {
  /** How many files reached core, by name: one already in the tray must not. */
  let sent: string[];

  beforeEach(() => {
    sent = [];
    useUi.setState({ connection: 'connected' });
    // Stages as core does: the id is the first 32 hex characters of the bytes' SHA-256.
    const api: Api = {
      async request(route, input) {
        if (route !== 'references.add') return { ok: false, error: { code: 'OFFLINE', message: route } };
        const { name, base64 } = input as { name: string; base64: string };
        sent.push(name);
        const bytes = Buffer.from(base64, 'base64');
        const id = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
        const reference: StagedReference = {
          id,
          name,
          format: 'png',
          width: 8,
          height: 8,
          bytes: bytes.length,
          frames: 1,
          url: `test://ref/${id}`,
          thumbUrl: `test://ref/${id}`,
          galleryImageId: null,
        };
        return { ok: true, value: reference } as never;
      },
      on: () => () => undefined,
    };
    setApi(api);
    useCompose.setState({
      model: 'nano-banana-pro',
      modelPinned: false,
      modelHint: null,
      references: [],
      pending: [],
      referenceProblems: [],
    });
  });

  const compose = () => useCompose.getState();
  const names = () => compose().references.map((item) => item.name);

  it('says "already added" for those, and counts the room left only for the new ones', async () => {
    const seven = Array.from({ length: 7 }, (_, n) => pngFile(`tray-${n}.png`, n + 1));
    await addReferenceFiles(incoming(...seven));
    expect(names()).toHaveLength(7);
    sent = [];

    await addReferenceFiles(
      incoming(
        pngFile('tray-0.png', 1),
        pngFile('tray-1 copy.png', 2),
        pngFile('new-1.png', 50),
        pngFile('new-2.png', 51),
      ),
    );
    expect(names()).toEqual([...seven.map((file) => file.name), 'new-1.png']);
    expect(compose().referenceProblems).toEqual([
      { kind: 'duplicates', names: ['tray-0.png', 'tray-1 copy.png'] },
      { kind: 'count', model: 'nano-banana-pro', limit: 8, skipped: 1 },
    ]);
    expect(sent).toEqual(['new-1.png']);

    // Full: one file already there is only that, and nothing about room.
    await addReferenceFiles(incoming(pngFile('again.png', 3)));
    expect(compose().referenceProblems).toEqual([{ kind: 'duplicate', name: 'again.png' }]);
  });

  it('the same file twice in one drop goes in once; a file of the same size but other bytes is new', async () => {
    await addReferenceFiles(incoming(pngFile('a.png', 9), pngFile('a again.png', 9), pngFile('b.png', 10)));
    expect(names()).toEqual(['a.png', 'b.png']);
    expect(compose().referenceProblems).toEqual([{ kind: 'duplicate', name: 'a again.png' }]);
    expect(sent).toEqual(['a.png', 'b.png']);
  });
});
