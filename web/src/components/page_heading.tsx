import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

// A page's title and one line about it, with room for the page's own buttons. The
// title takes the focus when the page opens, so a screen reader announces the new
// page and the keyboard starts from it.
export function PageHeading({
  id,
  title,
  summary,
  children,
}: {
  id: string;
  title: string;
  summary: string;
  children?: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div class="page-heading">
      <div>
        <h1 id={id} ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <p class="quiet">{summary}</p>
      </div>
      {children}
    </div>
  );
}
