import { useCallback, useState } from 'react';

/** Storage of unsent text, per tab: a draft survives leaving the chat and a reload. */
function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage disabled: drafts live only as long as the page
  }
}

/** The message box's text for one conversation, kept in session storage under `key`. */
export function useDraft(key: string): [string, (text: string) => void] {
  const [state, setState] = useState(() => ({ key, text: storage()?.getItem(key) ?? '' }));
  // Another conversation: read its own draft.
  const current = state.key === key ? state : { key, text: storage()?.getItem(key) ?? '' };
  if (current !== state) setState(current);
  const setText = useCallback(
    (text: string) => {
      setState({ key, text });
      if (text === '') storage()?.removeItem(key);
      else storage()?.setItem(key, text);
    },
    [key],
  );
  return [current.text, setText];
}
