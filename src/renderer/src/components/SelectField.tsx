export interface SelectOption<Value extends string | number> {
  value: Value;
  label: string;
}

interface SelectFieldProps<Value extends string | number> {
  label: string;
  value: Value;
  options: readonly SelectOption<Value>[];
  /** The picked option's own value (a number stays a number). */
  onChange(value: Value): void;
  testId: string;
  disabled?: boolean;
  /**
   * The label for screen readers only (`aria-label`), where the place already says what the
   * select is for (a filter bar, a toolbar); otherwise it is shown above the select.
   */
  hideLabel?: boolean;
  title?: string;
  onFocus?(): void;
}

/** A labelled <select> over typed options. */
export function SelectField<Value extends string | number>({
  label,
  value,
  options,
  onChange,
  testId,
  disabled,
  hideLabel = false,
  title,
  onFocus,
}: SelectFieldProps<Value>) {
  const select = (
    <select
      data-testid={testId}
      aria-label={hideLabel ? label : undefined}
      value={value}
      disabled={disabled}
      title={title}
      onFocus={onFocus}
      onChange={(event) => {
        const picked = options.find((option) => String(option.value) === event.target.value);
        if (picked) onChange(picked.value);
      }}
    >
      {options.map((option) => (
        <option key={String(option.value)} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
  if (hideLabel) return select;
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {select}
    </label>
  );
}
