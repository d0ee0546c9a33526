import type { ImageComponent } from '@botwire/client';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n-context.js';
import type { Localizer } from '../../i18n/localizer.js';
import { formatBytes, imageTypeName } from './image-files.js';
import { ImageViewer } from './ImageViewer.js';
import { imageSource } from './message-images.js';

/** What an image is, for its alt text: "Image, PNG, 1.2 KB" (the console cannot know more). */
export function describeImage(
  image: ImageComponent,
  i18n: Pick<Localizer, 't' | 'format'>,
): string {
  const details = [
    imageTypeName(image.media_type),
    image.bytes === undefined ? undefined : formatBytes(image.bytes, i18n.format.number),
  ].filter((part): part is string => part !== undefined);
  return details.length === 0
    ? i18n.t('image.altPlain')
    : i18n.t('image.alt', { details: details.join(', ') });
}

/** The thumbnail of a loadable image: a button that opens it full size. */
function Thumbnail({
  src,
  alt,
  canOpenInTab,
}: {
  src: string;
  alt: string;
  canOpenInTab: boolean;
}) {
  const [failed, setFailed] = useState(false);
  const { t } = useI18n();
  if (failed) {
    return (
      <span className="inline-block rounded border border-dashed border-current px-2 py-1 text-xs opacity-80">
        {t('image.unavailable')}
      </span>
    );
  }
  return (
    <ImageViewer
      src={src}
      alt={alt}
      canOpenInTab={canOpenInTab}
      trigger={
        <button
          type="button"
          aria-label={t('image.openFullSize', { alt })}
          title={t('image.openFullSize', { alt })}
          className="block overflow-hidden rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-current"
        >
          <img
            src={src}
            alt={alt}
            loading="lazy"
            decoding="async"
            onError={() => setFailed(true)}
            className="block max-h-48 max-w-full bg-white/40 object-contain sm:max-w-64"
          />
        </button>
      }
    />
  );
}

/** One `Image` component: uploaded and inline images as thumbnails, foreign URLs as links. */
function MessageImage({ image }: { image: ImageComponent }) {
  const i18n = useI18n();
  const { t } = i18n;
  const source = imageSource(image);
  switch (source.kind) {
    case 'served':
    case 'inline':
      return (
        <Thumbnail
          src={source.src}
          alt={describeImage(image, i18n)}
          canOpenInTab={source.kind === 'served'}
        />
      );
    case 'external':
      return (
        <a
          href={source.href}
          target="_blank"
          rel="noopener noreferrer nofollow"
          className="break-all underline underline-offset-2"
        >
          [{t('image.external', { url: source.href })}]
        </a>
      );
    case 'none':
      return <span className="text-xs opacity-80">[{t('image.unusable')}]</span>;
  }
}

/**
 * The images of a message under its text, each as bounded, lazily loaded thumbnail with alt
 * text that opens full size. Only images from this server (and inline data) load; an image URL
 * on another host is a link, for the same reason as in MarkdownReply: loading it would tell
 * that host who reads the conversation, and when.
 */
export function MessageImages({ images }: { images: readonly ImageComponent[] }) {
  const { t } = useI18n();
  if (images.length === 0) return null;
  return (
    <ul aria-label={t('image.images')} className="my-1 flex flex-wrap gap-2">
      {images.map((image, index) => (
        <li key={`${image.image_id ?? image.url ?? 'inline'}-${index}`} className="max-w-full">
          <MessageImage image={image} />
        </li>
      ))}
    </ul>
  );
}
