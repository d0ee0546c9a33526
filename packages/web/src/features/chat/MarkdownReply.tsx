import { memo, type ComponentProps } from 'react';
import Markdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import { safeUrl } from './safe-url.js';

/** Links open in a new tab without giving it a handle on the console, and pass no ranking. */
function SafeLink({ href, children }: ComponentProps<'a'>) {
  if (href === undefined) return <span className="markdown-unsafe-link">{children}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  );
}

/**
 * Images are shown as links, not loaded: an image URL in a reply would otherwise fetch from any
 * server the model names as soon as the reply renders.
 */
function ImageAsLink({ src, alt }: ComponentProps<'img'>) {
  const label = `Image: ${alt === undefined || alt === '' ? 'untitled' : alt}`;
  if (typeof src !== 'string' || src === '') return <span>[{label}]</span>;
  return (
    <a href={src} target="_blank" rel="noopener noreferrer nofollow">
      [{label}]
    </a>
  );
}

const COMPONENTS: Components = { a: SafeLink, img: ImageAsLink };
const REHYPE_PLUGINS = [rehypeHighlight];

/** react-markdown calls this for every URL; anything unsafe loses its `href`/`src` entirely. */
function urlTransform(url: string): string | undefined {
  return safeUrl(url);
}

/**
 * A reply's text as Markdown. Raw HTML in the text is shown as text, never parsed (no
 * rehype-raw), code blocks with a language are highlighted, and links are limited to http(s)
 * and mailto. Memoized: while a reply streams only the growing message re-renders.
 */
export const MarkdownReply = memo(function MarkdownReply({ text }: { text: string }) {
  return (
    <div className="markdown">
      <Markdown components={COMPONENTS} rehypePlugins={REHYPE_PLUGINS} urlTransform={urlTransform}>
        {text}
      </Markdown>
    </div>
  );
});
