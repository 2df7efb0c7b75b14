import { useEffect, useRef } from 'react';

/**
 * Escape closes the topmost open layer (dialog, drawer, wizard), wherever focus is. A keydown
 * handler on the layer itself misses the key once focus has left it — after a file is picked the
 * file input is gone and focus is on <body> — so the layers register here, in opening order, and one
 * document listener closes only the last one (a confirmation over the drawer closes, not the drawer).
 */
const stack: { current: () => void }[] = [];

function onKeyDown(e: KeyboardEvent) {
  if (e.key !== 'Escape' || e.defaultPrevented || stack.length === 0) return;
  e.preventDefault();
  e.stopPropagation();
  stack[stack.length - 1]!.current();
}

export function useEscape(onEscape: () => void, active = true): void {
  const ref = useRef(onEscape);
  ref.current = onEscape;
  useEffect(() => {
    if (!active) return;
    const entry = { current: () => ref.current() };
    if (stack.length === 0) document.addEventListener('keydown', onKeyDown);
    stack.push(entry);
    return () => {
      const i = stack.indexOf(entry);
      if (i >= 0) stack.splice(i, 1);
      if (stack.length === 0) document.removeEventListener('keydown', onKeyDown);
    };
  }, [active]);
}
