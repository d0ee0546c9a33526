import { memo, type ComponentProps } from 'react';
import Markdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import { useI18n } from '../../i18n/i18n-context.js';
import { CopyButton } from './CopyButton.js';
import { remarkTablesAndLinks } from './markdown-extensions.js';
import { safeUrl } from './safe-url.js';

/** A hast node, as far as the code block needs it (react-markdown passes it as `node`). */
interface HastNode {
  type: string;
  value?: string;
  tagName?: string;
  properties?: { className?: unknown };
  children?: HastNode[];
}

function hastText(node: HastNode): string {
  if (node.type === 'text') return node.value ?? '';
  return (node.children ?? []).map(hastText).join('');
}

/** The language a fenced block names (` ```ts `), from its `language-ts` class. */
export function codeLanguage(node: HastNode | undefined): string | undefined {
  const code = node?.children?.find((child) => child.tagName === 'code');
  const classes = code?.properties?.className;
  if (!Array.isArray(classes)) return undefined;
  for (const name of classes) {
    if (typeof name === 'string' && name.startsWith('language-')) return name.slice(9);
  }
  return undefined;
}

/** A code block with its language above it and a copy button for the code alone. */
function CodeBlock({ node, children }: ComponentProps<'pre'> & { node?: HastNode }) {
  const language = codeLanguage(node);
  const text = node === undefined ? '' : hastText(node).replace(/\n$/, '');
  const { t } = useI18n();
  return (
    <div className="code-block">
      <div className="flex items-center justify-between gap-2 text-xs text-slate-600 dark:text-slate-300">
        <span>{language ?? t('markdown.code')}</span>
        <CopyButton
          text={text}
          label={
            language === undefined
              ? t('markdown.copyCode')
              : t('markdown.copyLanguageCode', { language })
          }
        />
      </div>
      {/* Focusable: a long line scrolls sideways, and the keyboard must reach it too. */}
      <pre tabIndex={0}>{children}</pre>
    </div>
  );
}

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
  const { t } = useI18n();
  const label = t('markdown.image', {
    alt: alt === undefined || alt === '' ? t('markdown.untitled') : alt,
  });
  if (typeof src !== 'string' || src === '') return <span>[{label}]</span>;
  return (
    <a href={src} target="_blank" rel="noopener noreferrer nofollow">
      [{label}]
    </a>
  );
}

/** Wide tables scroll sideways inside the bubble instead of widening the page. */
function ScrollingTable({ children }: ComponentProps<'table'>) {
  const { t } = useI18n();
  return (
    <div
      role="region"
      aria-label={t('markdown.table')}
      tabIndex={0}
      className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      <table>{children}</table>
    </div>
  );
}

const COMPONENTS: Components = {
  a: SafeLink,
  img: ImageAsLink,
  pre: CodeBlock as Components['pre'],
  table: ScrollingTable,
};
const REMARK_PLUGINS = [remarkTablesAndLinks];
const REHYPE_PLUGINS = [rehypeHighlight];

/** react-markdown calls this for every URL; anything unsafe loses its `href`/`src` entirely. */
function urlTransform(url: string): string | undefined {
  return safeUrl(url);
}

/**
 * A reply's text as Markdown. Raw HTML in the text is shown as text, never parsed (no
 * rehype-raw), code blocks are highlighted and carry their language and a copy button, pipe
 * tables are tables and bare URLs links, and links are limited to http(s) and mailto. Memoized: while a reply streams only the growing message re-renders.
 */
export const MarkdownReply = memo(function MarkdownReply({ text }: { text: string }) {
  return (
    <div className="markdown">
      <Markdown
        components={COMPONENTS}
        remarkPlugins={REMARK_PLUGINS}
        rehypePlugins={REHYPE_PLUGINS}
        urlTransform={urlTransform}
      >
        {text}
      </Markdown>
    </div>
  );
});
