/**
 * Every keyboard shortcut in the app, as the shortcuts sheet lists them. Named keys are
 * translated (`shortcuts.keys.*`); anything else is shown as it is (letters, symbols).
 */
export const NAMED_KEYS = [
  'mod',
  'shift',
  'alt',
  'enter',
  'esc',
  'space',
  'delete',
  'arrows',
  'leftRight',
] as const;
export type NamedKey = (typeof NAMED_KEYS)[number];

export interface Shortcut {
  /** One combination, keys pressed together; alternatives are separate combinations. */
  combos: string[][];
  action: string;
}

export interface ShortcutGroup {
  id: 'general' | 'compose' | 'gallery' | 'viewer' | 'annotate' | 'compare';
  shortcuts: Shortcut[];
}

export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = [
  {
    id: 'general',
    shortcuts: [
      { combos: [['?']], action: 'help' },
      { combos: [['esc']], action: 'close' },
      { combos: [['mod', 'F']], action: 'search' },
    ],
  },
  {
    id: 'compose',
    shortcuts: [
      { combos: [['mod', 'enter']], action: 'submit' },
      { combos: [['mod', 'V']], action: 'paste' },
      { combos: [['alt', 'leftRight']], action: 'moveReference' },
      { combos: [['delete']], action: 'removeReference' },
      { combos: [['esc']], action: 'cancelDrop' },
    ],
  },
  {
    id: 'gallery',
    shortcuts: [
      { combos: [['arrows']], action: 'move' },
      { combos: [['shift', 'arrows']], action: 'extend' },
      { combos: [['mod', 'arrows']], action: 'moveFocus' },
      { combos: [['space']], action: 'toggle' },
      { combos: [['enter']], action: 'open' },
      { combos: [['mod', 'A']], action: 'selectAll' },
      { combos: [['C']], action: 'compare' },
      { combos: [['A']], action: 'again' },
      { combos: [['delete']], action: 'trash' },
      { combos: [['esc']], action: 'clearSelection' },
    ],
  },
  {
    id: 'viewer',
    shortcuts: [
      { combos: [['leftRight']], action: 'step' },
      { combos: [['+'], ['−']], action: 'zoom' },
      { combos: [['0']], action: 'fit' },
      { combos: [['C']], action: 'compareOriginal' },
      { combos: [['A']], action: 'again' },
      { combos: [['delete']], action: 'trash' },
      { combos: [['esc']], action: 'closeViewer' },
    ],
  },
  {
    id: 'annotate',
    shortcuts: [
      { combos: [['V'], ['R'], ['O'], ['A'], ['B'], ['T']], action: 'annotateTools' },
      { combos: [['1 – 8']], action: 'annotateColor' },
      { combos: [['['], [']']], action: 'annotateSize' },
      { combos: [['arrows']], action: 'annotateCursor' },
      { combos: [['enter'], ['space']], action: 'annotateMark' },
      { combos: [['mod', 'Z']], action: 'annotateUndo' },
      { combos: [['mod', 'shift', 'Z']], action: 'annotateRedo' },
      { combos: [['delete']], action: 'annotateDelete' },
      {
        combos: [
          ['mod', 'S'],
          ['mod', 'enter'],
        ],
        action: 'annotateSave',
      },
      { combos: [['esc']], action: 'annotateEsc' },
    ],
  },
  {
    id: 'compare',
    shortcuts: [
      { combos: [['leftRight']], action: 'moveSplit' },
      { combos: [['S']], action: 'toggleLayout' },
      { combos: [['+'], ['−']], action: 'zoom' },
      { combos: [['0']], action: 'fit' },
      { combos: [['esc']], action: 'closeCompare' },
    ],
  },
];

export function isNamedKey(key: string): key is NamedKey {
  return (NAMED_KEYS as readonly string[]).includes(key);
}

/** The translation keys the sheet builds at run time (the i18n test checks they all exist). */
export function shortcutTranslationKeys(): string[] {
  return [
    ...SHORTCUT_GROUPS.map((group) => `shortcuts.groups.${group.id}`),
    ...SHORTCUT_GROUPS.flatMap((group) => group.shortcuts.map((item) => `shortcuts.actions.${item.action}`)),
    ...NAMED_KEYS.map((key) => `shortcuts.keys.${key}`),
  ];
}
