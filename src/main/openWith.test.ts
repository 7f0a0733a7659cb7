import { describe, expect, it } from 'vitest';
import { OpenedPathsInbox, pathsFromArgv, type ArgvContext } from './openWith';

const linux: ArgvContext = { platform: 'linux', appPathArgument: false, cwd: '/home/ana' };
const windows: ArgvContext = { platform: 'win32', appPathArgument: false, cwd: 'C:\\Users\\ana' };

describe('pathsFromArgv', () => {
  it('Linux, packaged: the files after the executable, switches skipped, relative ones resolved', () => {
    expect(
      pathsFromArgv(
        [
          '/opt/Banana Studio/banana-studio',
          '--no-sandbox',
          '/home/ana/Pictures/cat.png',
          'dog.jpg',
          '--enable-features=Foo',
          '../shared/bird.webp',
        ],
        linux,
      ),
    ).toEqual(['/home/ana/Pictures/cat.png', '/home/ana/dog.jpg', '/home/shared/bird.webp']);
  });

  it('Linux: file:// URLs from a desktop entry’s %U become paths; other URLs are not files', () => {
    expect(
      pathsFromArgv(
        [
          '/opt/Banana Studio/banana-studio',
          'file:///home/ana/My%20Pictures/cat%20%231.png',
          'https://example.com/cat.png',
          'FILE:///tmp/upper.png',
        ],
        linux,
      ),
    ).toEqual(['/home/ana/My Pictures/cat #1.png', '/tmp/upper.png']);
  });

  it('Windows, packaged: drive and UNC paths kept, relative ones resolved against the working folder', () => {
    expect(
      pathsFromArgv(
        [
          'C:\\Program Files\\Banana Studio\\Banana Studio.exe',
          '--allow-file-access-from-files',
          'C:\\Users\\ana\\Pictures\\cat.png',
          '\\\\nas\\photos\\dog.jpg',
          'bird.webp',
          'file:///D:/art/fish.png',
        ],
        windows,
      ),
    ).toEqual([
      'C:\\Users\\ana\\Pictures\\cat.png',
      '\\\\nas\\photos\\dog.jpg',
      'C:\\Users\\ana\\bird.webp',
      'D:\\art\\fish.png',
    ]);
  });

  it('in development the app path after the executable is not a file, wherever switches are', () => {
    const dev = { ...linux, appPathArgument: true };
    expect(pathsFromArgv(['/repo/node_modules/electron/dist/electron', '.', '/tmp/cat.png'], dev)).toEqual([
      '/tmp/cat.png',
    ]);
    expect(
      pathsFromArgv(
        [
          '/repo/node_modules/electron/dist/electron',
          '--inspect=5858',
          'out/main/index.js',
          '--',
          '-odd.png',
        ],
        dev,
      ),
    ).toEqual(['/home/ana/-odd.png']);
    expect(
      pathsFromArgv(['electron.exe', '.', 'C:\\cat.png'], { ...windows, appPathArgument: true }),
    ).toEqual(['C:\\cat.png']);
    // Packaged, the same argument is a file.
    expect(pathsFromArgv(['/opt/banana-studio', '.'], linux)).toEqual(['/home/ana']);
  });

  it('nothing but the executable, or only switches: no files', () => {
    expect(pathsFromArgv(['/opt/banana-studio'], linux)).toEqual([]);
    expect(pathsFromArgv(['/opt/banana-studio', '--enable-devtools', ''], linux)).toEqual([]);
    expect(pathsFromArgv([], windows)).toEqual([]);
  });

  it('macOS: files come as open-file events; argv (with its -psn switch) has none', () => {
    expect(
      pathsFromArgv(
        ['/Applications/Banana Studio.app/Contents/MacOS/Banana Studio', '-psn_0_12345', '/tmp/cat.png'],
        {
          platform: 'darwin',
          appPathArgument: false,
          cwd: '/',
        },
      ),
    ).toEqual([]);
  });
});

describe('OpenedPathsInbox', () => {
  it('holds paths until connected, hands them over in order once, then passes new ones straight on', () => {
    const inbox = new OpenedPathsInbox();
    inbox.add(['/a.png']);
    inbox.add([]);
    inbox.add(['/b.png', '/c.png']);
    const delivered: string[][] = [];
    inbox.connect((paths) => delivered.push(paths));
    expect(delivered).toEqual([['/a.png', '/b.png', '/c.png']]);
    inbox.add(['/d.png']);
    inbox.add([]);
    expect(delivered).toEqual([['/a.png', '/b.png', '/c.png'], ['/d.png']]);
  });

  it('connecting with nothing waiting delivers nothing', () => {
    const inbox = new OpenedPathsInbox();
    const delivered: string[][] = [];
    inbox.connect((paths) => delivered.push(paths));
    expect(delivered).toEqual([]);
  });
});
