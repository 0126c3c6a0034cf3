import type { JSX } from 'preact';

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'password';
  autocomplete?: string;
  invalid?: boolean;
  extra?: JSX.InputHTMLAttributes<HTMLInputElement>;
}

// A labelled input with an optional hint, tied together for screen readers.
export function Field({ id, label, hint, value, onInput, type = 'text', autocomplete, invalid, extra }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        name={id}
        type={type}
        value={value}
        autocomplete={autocomplete}
        aria-describedby={hintId}
        aria-invalid={invalid ? 'true' : undefined}
        required
        onInput={(event) => onInput((event.target as HTMLInputElement).value)}
        {...extra}
      />
    </div>
  );
}

// A message the person must notice: read out at once by screen readers.
export function ErrorSummary({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div class="alert alert-error" role="alert">
      {message}
    </div>
  );
}

// What just worked ("Saved."), announced politely by screen readers.
export function SuccessNote({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p class="alert alert-success" role="status">
      {message}
    </p>
  );
}
