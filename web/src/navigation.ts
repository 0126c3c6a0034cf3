import { useEffect, useState } from 'preact/hooks';

// A very small router over the History API: the server answers every page path with
// index.html, and the app decides what to show from location.pathname (page_table.tsx
// lists the signed-in pages).
const listeners = new Set<() => void>();

export function navigate(path: string, { replace = false } = {}): void {
  if (location.pathname !== path) {
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
  }
  listeners.forEach((listener) => listener());
}

export function usePathname(): string {
  const [pathname, setPathname] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPathname(location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return pathname;
}
