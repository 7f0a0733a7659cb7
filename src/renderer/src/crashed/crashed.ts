/**
 * The crash page's two buttons. Deliberately tiny and free of the app's stores and React: the
 * app page just crashed twice, and whatever broke it must not break this one too.
 */
const statusLine = document.getElementById('status');
const show = (text: string): void => {
  if (statusLine) statusLine.textContent = text;
};

document.getElementById('reload')?.addEventListener('click', () => {
  window.location.replace('./index.html');
});

document.getElementById('copy')?.addEventListener('click', () => {
  void copyDiagnostics();
});

async function copyDiagnostics(): Promise<void> {
  try {
    // The preload's bridge is there whenever this page runs in the app window.
    const bridge = window.bridge as typeof window.bridge | undefined;
    if (!bridge) throw new Error('not in the app window');
    const result = (await bridge.request('app.diagnostics', {})) as
      { ok: true; value: unknown } | { ok: false; error: { message: string } };
    if (!result.ok) throw new Error(result.error.message);
    await navigator.clipboard.writeText(JSON.stringify(result.value, null, 2));
    show('Copied / 已复制');
  } catch (error) {
    show(`Could not copy / 无法复制: ${error instanceof Error ? error.message : String(error)}`);
  }
}
