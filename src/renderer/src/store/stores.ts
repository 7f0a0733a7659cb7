// The app's small stores, one per file; imported from here so call sites need one path.
export { useCompose, composeCost, composeProblem, reusedSettings, type PendingReference } from './compose';
export { useCredits } from './credits';
export { useJobs, upsertJob } from './jobs';
export { useSettings } from './settings';
export { useTunnel } from './tunnel';
export { useUi, type GalleryView } from './ui';
