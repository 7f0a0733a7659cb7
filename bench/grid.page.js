// Runs inside the page (bench/grid.ts): scrolls the gallery down and back up over `scrollMs`,
// sampling mounted tiles every frame and recording long tasks.
async (scrollMs) => {
  const longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: false });
  const grid = document.querySelector('[data-testid="gallery-grid"]');
  // The scrolling element is the grid itself or its nearest scrollable ancestor.
  let scroller = grid;
  while (scroller && scroller.scrollHeight <= scroller.clientHeight + 1) scroller = scroller.parentElement;
  const target = scroller ?? document.scrollingElement ?? document.documentElement;
  let maxTiles = 0;
  const started = performance.now();
  await new Promise((resolve) => {
    const step = () => {
      const elapsed = performance.now() - started;
      const distance = target.scrollHeight - target.clientHeight;
      const phase = elapsed / scrollMs;
      target.scrollTop = phase < 0.5 ? distance * phase * 2 : distance * (1 - (phase - 0.5) * 2);
      maxTiles = Math.max(maxTiles, document.querySelectorAll('[data-testid="gallery-item"]').length);
      if (elapsed < scrollMs) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
  return { maxTiles, longTasks: longTasks.length, longestTask: Math.max(0, ...longTasks) };
};
