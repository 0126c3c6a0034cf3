import { useState } from 'preact/hooks';
import { ApiError } from '../api';

// What a page needs to carry out the changes its forms and buttons ask for: the error
// and success notes, "busy" while a change is under way, and one way to run a change —
// clear the notes, call the box, load the page's data again, then say what was done.
// A 401 means the sign-in has ended: the app goes back to the sign-in page.
export function useAction(onSessionEnded: () => void, reload?: () => Promise<unknown>) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function failed(failure: unknown) {
    if (failure instanceof ApiError && failure.status === 401) onSessionEnded();
    else setError((failure as Error).message);
  }

  // True when the change was made, false when the box refused it (the error is shown).
  async function act(what: () => Promise<unknown>, message: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await what();
      if (reload) await reload();
      setDone(message);
      return true;
    } catch (failure) {
      failed(failure);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { error, setError, done, setDone, busy, setBusy, failed, act };
}

// The `act` of useAction, as pages hand it to their sections.
export type Act = (what: () => Promise<unknown>, message: string) => Promise<boolean>;

// For a change that cannot be undone: asks first, then acts. Null when the user said no.
export async function actIfConfirmed(act: Act, question: string, what: () => Promise<unknown>, message: string): Promise<boolean | null> {
  if (!confirm(question)) return null;
  return act(what, message);
}
