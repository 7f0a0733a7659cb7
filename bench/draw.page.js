// Runs inside the page (bench/draw.ts). From now until `window.__drawBench.stop()` it records,
// for every animation frame with drawing work in it (a pointer sample or release on the
// editor's canvas since the frame before):
// - `work`: main-thread time from the frame's start to the end of its rendering (input events,
//   the editor's requestAnimationFrame drawing, style, layout, paint): a task posted from the
//   frame's last rAF callback runs right after the rendering steps of that frame;
// - `interval`: the time since the frame before (on a 60 Hz display, at least 16.7 ms);
// and every long task (> 50 ms) on the main thread.
() => {
  const canvas = document.querySelector('[data-testid="annotate-canvas"]');
  if (!canvas) throw new Error('the annotation editor is not open');
  const work = [];
  const intervals = [];
  const longTasks = [];
  const starts = [];
  let busy = false;
  let running = true;
  const mark = () => {
    busy = true;
  };
  canvas.addEventListener('pointermove', mark, true);
  canvas.addEventListener('pointerup', mark, true);
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const start = starts.shift();
    if (start !== undefined) work.push(performance.now() - start);
  };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  const step = (now) => {
    if (busy) {
      intervals.push(now - last);
      // The message is handled after this whole rendering update: the editor's own callback
      // (requested by the input, later in this frame), style, layout and paint.
      starts.push(now);
      channel.port2.postMessage(null);
    }
    busy = false;
    last = now;
    if (running) requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
  window.__drawBench = {
    stop() {
      running = false;
      observer.disconnect();
      canvas.removeEventListener('pointermove', mark, true);
      canvas.removeEventListener('pointerup', mark, true);
      return { work, intervals, longTasks };
    },
  };
};
