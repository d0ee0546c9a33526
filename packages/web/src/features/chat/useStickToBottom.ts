import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** How close to the bottom (px) still counts as "at the bottom": a line of slack for rounding. */
const BOTTOM_SLACK_PX = 48;

/**
 * Keeps a scrolling list pinned to its end while the reader is there, and leaves it alone once
 * they scrolled up to read something: a streaming reply must not drag them back down. Returns
 * whether new content arrived below the fold (for a "jump to latest" button) and how to jump.
 *
 * @param changeKey changes whenever the content grows (message count, last text length)
 */
export function useStickToBottom(
  ref: RefObject<HTMLElement | null>,
  changeKey: unknown,
): { onScroll: () => void; hasUnseen: boolean; jumpToLatest: () => void } {
  const atBottomRef = useRef(true);
  const [hasUnseen, setHasUnseen] = useState(false);

  const onScroll = useCallback(() => {
    const element = ref.current;
    if (element === null) return;
    const distance = element.scrollHeight - element.scrollTop - element.clientHeight;
    atBottomRef.current = distance <= BOTTOM_SLACK_PX;
    if (atBottomRef.current) setHasUnseen(false);
  }, [ref]);

  // Layout effect: scroll before the browser paints, so the new text never flashes out of view.
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    if (atBottomRef.current) element.scrollTop = element.scrollHeight;
    else setHasUnseen(true);
  }, [ref, changeKey]);

  const jumpToLatest = useCallback(() => {
    const element = ref.current;
    if (element === null) return;
    element.scrollTop = element.scrollHeight;
    atBottomRef.current = true;
    setHasUnseen(false);
  }, [ref]);

  return { onScroll, hasUnseen, jumpToLatest };
}
