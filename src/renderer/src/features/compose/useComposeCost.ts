import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { composeCost, useCompose, useCredits, useSettings } from '../../store/stores';

/** Numbers in the UI language (1,234 / 1,234 — and whatever the locale writes). */
export function useNumberFormat(): (value: number) => string {
  const { i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language);
  return (value) => format.format(value);
}

/** The current choices' cost and what the balance says to it; follows all three stores. */
export function useComposeCost() {
  const choices = useCompose(
    useShallow((state) => ({
      prompt: state.prompt,
      model: state.model,
      resolution: state.resolution,
      imagesPerPrompt: state.imagesPerPrompt,
      batch: state.batch,
    })),
  );
  const view = useSettings((state) => state.view);
  const credits = useCredits((state) => state.credits);
  return { ...composeCost(choices, view, credits), credits };
}
