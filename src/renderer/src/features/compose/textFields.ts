/** Whether typing (or pasting text) into `target` belongs to that field. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return (
    target instanceof HTMLInputElement &&
    ['text', 'search', 'url', 'password', 'email', 'tel', 'number'].includes(target.type)
  );
}
