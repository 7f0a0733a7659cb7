/**
 * Copies an image through the browser's clipboard: the web version has no OS clipboard behind
 * core, so core's copy would do nothing there. Browsers take PNG only, so a JPEG or WebP is
 * redrawn as PNG first.
 */
export async function copyImageInBrowser(url: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The image could not be read (HTTP ${response.status}).`);
  let blob = await response.blob();
  if (blob.type !== 'image/png') {
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    bitmap.close();
    blob = await canvas.convertToBlob({ type: 'image/png' });
  }
  await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
}
