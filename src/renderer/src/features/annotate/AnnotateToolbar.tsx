import { useTranslation } from 'react-i18next';
import { MARK_COLOR_HEX, MARK_COLORS, markSizes } from '@shared/domain/marks';
import { useAnnotate, type AnnotateTool } from '../../store/annotate';
import { COLOR_KEYS, SIZE_KEYS, TOOL_KEYS } from './shortcuts';

/** Stroke icons, 20 × 20, in the button's text colour. */
const TOOL_ICONS: Record<AnnotateTool, string> = {
  select: 'M5 3 L5 16 L8.5 12.5 L11 18 L13 17 L10.5 11.5 L15 11.5 Z',
  rect: 'M3.5 5 H16.5 V15 H3.5 Z',
  ellipse: 'M2.5 10 A7.5 5.5 0 1 0 17.5 10 A7.5 5.5 0 1 0 2.5 10 Z',
  arrow: 'M3.5 16.5 L16 4 M9 4 H16 V11',
  brush: 'M3 15 C6 9 8 17 11 11 S15 6 17 5',
  text: 'M4 5 H16 M10 5 V16 M7.5 16 H12.5',
};

const TOOLS: readonly AnnotateTool[] = ['select', 'rect', 'ellipse', 'arrow', 'brush', 'text'];

/** Tools, colours, sizes, undo/redo, delete and clear; each with its key in the tooltip. */
export function AnnotateToolbar({ picture }: { picture: { width: number; height: number } }) {
  const { t } = useTranslation();
  const tool = useAnnotate((state) => state.tool);
  const color = useAnnotate((state) => state.color);
  const sizeLevel = useAnnotate((state) => state.sizeLevel);
  const canUndo = useAnnotate((state) => state.history.past.length > 0);
  const canRedo = useAnnotate((state) => state.history.future.length > 0);
  const count = useAnnotate((state) => state.history.present.length);
  const saving = useAnnotate((state) => state.saving);
  const { setTool, setColor, setSize, undo, redo, removeMark, clear } = useAnnotate.getState();
  const sizes = markSizes(picture.width, picture.height);
  const toolLabel: Record<AnnotateTool, string> = {
    select: t('annotate.tools.select'),
    rect: t('annotate.tools.rect'),
    ellipse: t('annotate.tools.ellipse'),
    arrow: t('annotate.tools.arrow'),
    brush: t('annotate.tools.brush'),
    text: t('annotate.tools.text'),
  };
  const sizeLabel = [
    t('annotate.sizes.thin'),
    t('annotate.sizes.medium'),
    t('annotate.sizes.thick'),
    t('annotate.sizes.heavy'),
  ];

  return (
    <div
      className="annotate-toolbar"
      role="toolbar"
      aria-label={t('annotate.toolbar')}
      data-testid="annotate-toolbar"
    >
      <div className="annotate-group" role="group" aria-label={t('annotate.toolsLabel')}>
        {TOOLS.map((item) => {
          const label = t('annotate.withKey', {
            action: toolLabel[item],
            key: TOOL_KEYS[item].toUpperCase(),
          });
          return (
            <button
              key={item}
              type="button"
              className="annotate-tool"
              data-testid={`annotate-tool-${item}`}
              aria-pressed={tool === item}
              aria-label={label}
              aria-keyshortcuts={TOOL_KEYS[item].toUpperCase()}
              title={label}
              disabled={saving}
              onClick={() => setTool(item)}
            >
              <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
                <path
                  d={TOOL_ICONS[item]}
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.8"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                />
              </svg>
            </button>
          );
        })}
      </div>
      <div className="annotate-group" role="group" aria-label={t('annotate.colorsLabel')}>
        {MARK_COLORS.map((item, index) => {
          const label = t('annotate.withKey', {
            action: t(`annotate.colors.${item}`),
            key: COLOR_KEYS[index],
          });
          return (
            <button
              key={item}
              type="button"
              className="annotate-swatch"
              data-testid={`annotate-color-${item}`}
              aria-pressed={color === item}
              aria-label={label}
              aria-keyshortcuts={COLOR_KEYS[index]}
              title={label}
              disabled={saving}
              onClick={() => setColor(item)}
            >
              <span style={{ background: MARK_COLOR_HEX[item] }} aria-hidden="true" />
            </button>
          );
        })}
      </div>
      <div className="annotate-group" role="group" aria-label={t('annotate.sizesLabel')}>
        {sizes.map((_, index) => {
          const label = t('annotate.withKey', { action: sizeLabel[index] ?? '', key: SIZE_KEYS });
          return (
            <button
              key={index}
              type="button"
              className="annotate-size"
              data-testid={`annotate-size-${index}`}
              aria-pressed={sizeLevel === index}
              aria-label={label}
              title={label}
              disabled={saving}
              onClick={() => setSize(index, picture)}
            >
              <span style={{ width: 4 + index * 4, height: 4 + index * 4 }} aria-hidden="true" />
            </button>
          );
        })}
      </div>
      <div className="annotate-group" role="group" aria-label={t('annotate.editLabel')}>
        <button
          type="button"
          className="annotate-tool"
          data-testid="annotate-undo"
          aria-label={t('annotate.undo')}
          aria-keyshortcuts="Control+Z"
          title={t('annotate.undo')}
          disabled={!canUndo || saving}
          onClick={undo}
        >
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
            <path
              d="M7 5 L3 9 L7 13 M3 9 H12 A4.5 4.5 0 0 1 12 18 H9"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </button>
        <button
          type="button"
          className="annotate-tool"
          data-testid="annotate-redo"
          aria-label={t('annotate.redo')}
          aria-keyshortcuts="Control+Shift+Z"
          title={t('annotate.redo')}
          disabled={!canRedo || saving}
          onClick={redo}
        >
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
            <path
              d="M13 5 L17 9 L13 13 M17 9 H8 A4.5 4.5 0 0 0 8 18 H11"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </button>
        <button
          type="button"
          className="annotate-tool"
          data-testid="annotate-delete"
          aria-label={t('annotate.deleteMark')}
          aria-keyshortcuts="Delete"
          title={t('annotate.deleteMark')}
          disabled={count === 0 || saving}
          onClick={removeMark}
        >
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
            <path
              d="M4 6 H16 M8 6 V4 H12 V6 M6 6 L7 17 H13 L14 6"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </button>
        <button
          type="button"
          className="annotate-clear"
          data-testid="annotate-clear"
          disabled={count === 0 || saving}
          onClick={clear}
        >
          {t('annotate.clear')}
        </button>
      </div>
    </div>
  );
}
