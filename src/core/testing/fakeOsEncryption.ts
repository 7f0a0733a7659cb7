import type { OsEncryption } from '../ports';

export interface FakeOsEncryptionOptions {
  /** 'basic_text' plays Linux without a keyring: it works, but only obfuscates. */
  backend?: 'keyring' | 'basic_text';
  /** False: no encryption at all this session. */
  available?: boolean;
  /** Which computer's keyring this is: ciphertext made by another one cannot be decrypted. */
  machine?: string;
}

/**
 * A stand-in for Electron's safeStorage, reversible and recognisable like the real thing: a
 * version and machine prefix, then scrambled bytes (no plaintext, base64 of it or hex in it).
 * Its knobs are plain fields, so the web harness can use it as well as unit tests.
 */
export function fakeOsEncryption(options: FakeOsEncryptionOptions = {}) {
  const fake = {
    backendName: options.backend ?? 'keyring',
    available: options.available ?? true,
    machine: options.machine ?? 'this-computer',
    /** Bumped by `rotateKey`: older ciphertext still decrypts, with shouldReEncrypt. */
    generation: 1,
    /** The availability check itself fails (a crashed keyring daemon). */
    availabilityThrows: false,
    /** The next encrypt calls fail. */
    failEncrypt: false,
    encryptCalls: 0,
    decryptCalls: 0,
    rotateKey() {
      fake.generation += 1;
    },
    async isAvailable() {
      if (fake.availabilityThrows) throw new Error('keyring daemon crashed');
      return fake.available;
    },
    backend() {
      return { name: fake.backendName, weak: fake.backendName === 'basic_text' };
    },
    async encrypt(plain: string) {
      fake.encryptCalls += 1;
      if (fake.failEncrypt) throw new Error('Error while encrypting the text provided to safeStorage.');
      return sealFor(fake.machine, fake.generation, plain);
    },
    async decrypt(ciphertext: Buffer) {
      fake.decryptCalls += 1;
      const match = /^fake-v(\d+):([^:]+):/.exec(ciphertext.toString('latin1'));
      if (!match || match[2] !== fake.machine) {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      }
      const value = Buffer.from(
        ciphertext.subarray(match[0].length).map((byte) => byte ^ SCRAMBLE),
      ).toString();
      return { value, shouldReEncrypt: Number(match[1]) < fake.generation };
    },
  };
  return fake satisfies OsEncryption;
}

const SCRAMBLE = 0x5a;

/** Ciphertext as `machine`'s keyring would have made it (another computer's, for tests). */
export function sealFor(machine: string, generation: number, plain: string): Buffer {
  return Buffer.concat([
    Buffer.from(`fake-v${generation}:${machine}:`),
    Buffer.from(plain).map((byte) => byte ^ SCRAMBLE),
  ]);
}
