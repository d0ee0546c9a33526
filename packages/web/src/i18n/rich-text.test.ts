import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { richText } from './rich-text.js';
import { createTranslator } from './translate.js';

const render = (template: string): string =>
  renderToStaticMarkup(
    createElement('p', null, richText(template, { name: createElement('strong', null, 'ci') })),
  );

describe('richText', () => {
  it('puts the element where each language places the placeholder', () => {
    expect(render(createTranslator('en')('keys.shownOnce'))).toBe(
      '<p>The key <strong>ci</strong> is shown this once. Copy it now:</p>',
    );
    expect(render(createTranslator('zh-CN')('keys.shownOnce'))).toBe(
      '<p>密钥 <strong>ci</strong> 仅显示这一次，请立即复制：</p>',
    );
  });

  it('leaves text and unknown placeholders as they are', () => {
    expect(render('{other} stays')).toBe('<p>{other} stays</p>');
  });
});
