import { useShallow } from 'zustand/react/shallow';
import { useAbRun } from '../../store/abRun';
import { runCost, runProblem, type RunProblem } from '../../store/abRunRules';
import { useCompose, useCredits, useSettings } from '../../store/stores';

/**
 * What Generate does in A/B mode: how many tasks, what they cost and what the balance says to
 * it, and why it cannot be sent. Null while A/B mode is off.
 */
export function useRunSubmit(): {
  demo: boolean;
  tasks: number;
  total: number;
  standing: ReturnType<typeof runCost>['standing'];
  problem: RunProblem | null;
  submitting: boolean;
} | null {
  const run = useAbRun(
    useShallow((state) => ({
      enabled: state.enabled,
      vary: state.vary,
      prompts: state.prompts,
      models: state.models,
      ratios: state.ratios,
      submitting: state.submitting,
    })),
  );
  const compose = useCompose(
    useShallow((state) => ({
      prompt: state.prompt,
      model: state.model,
      aspectRatio: state.aspectRatio,
      outputFormat: state.outputFormat,
      resolution: state.resolution,
      googleSearch: state.googleSearch,
      references: state.references,
    })),
  );
  const view = useSettings((state) => state.view);
  const credits = useCredits((state) => state.credits);
  if (!run.enabled) return null;
  return {
    ...runCost(compose, run, view, credits),
    problem: runProblem(compose, run),
    submitting: run.submitting,
  };
}
