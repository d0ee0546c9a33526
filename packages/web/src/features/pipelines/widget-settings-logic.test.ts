import { DEFAULT_WIDGET_LIMITS } from '@botwire/client';
import { describe, expect, it } from 'vitest';
import {
  NUMERIC_WIDGET_LIMITS,
  buildEmbedSnippet,
  firstOriginProblem,
  originProblem,
  parseOriginLines,
  parseWidgetLimit,
  widgetLimitBounds,
} from './widget-settings-logic.js';

describe('origin validation', () => {
  it('accepts scheme://host[:port]', () => {
    expect(originProblem('https://shop.example.com')).toBeUndefined();
    expect(originProblem('http://localhost:5173')).toBeUndefined();
    expect(originProblem('http://[::1]:8080')).toBeUndefined();
  });

  it('says why an origin is refused', () => {
    expect(originProblem('shop.example.com')).toBe('scheme');
    expect(originProblem('ftp://shop.example.com')).toBe('scheme');
    expect(originProblem('https://shop.example.com/')).toBe('path');
    expect(originProblem('https://shop.example.com/page?x=1')).toBe('path');
    expect(originProblem('https://shop example.com')).toBe('format');
  });

  it('reads one origin a line, trimmed, without blanks or duplicates', () => {
    expect(
      parseOriginLines(' https://a.example \n\nhttps://b.example\nhttps://a.example\n'),
    ).toEqual(['https://a.example', 'https://b.example']);
    expect(firstOriginProblem(['https://a.example', 'a.example'])).toEqual({
      origin: 'a.example',
      problem: 'scheme',
    });
    expect(firstOriginProblem(['https://a.example'])).toBeUndefined();
  });
});

describe('limits', () => {
  it('takes bounds from the protocol schema, and the defaults fit them', () => {
    expect(widgetLimitBounds('max_conversation_messages')).toEqual({ min: 2, max: 100_000 });
    for (const limit of NUMERIC_WIDGET_LIMITS) {
      const { min, max } = widgetLimitBounds(limit);
      expect(DEFAULT_WIDGET_LIMITS[limit]).toBeGreaterThanOrEqual(min);
      expect(DEFAULT_WIDGET_LIMITS[limit]).toBeLessThanOrEqual(max);
    }
  });

  it('parses whole numbers inside the bounds only', () => {
    expect(parseWidgetLimit('connections_per_visitor', ' 5 ')).toEqual({ ok: true, value: 5 });
    expect(parseWidgetLimit('connections_per_visitor', '0')).toEqual({
      ok: false,
      min: 1,
      max: 1000,
    });
    expect(parseWidgetLimit('connections_per_visitor', '1001').ok).toBe(false);
    expect(parseWidgetLimit('connections_per_visitor', '2.5').ok).toBe(false);
    expect(parseWidgetLimit('connections_per_visitor', '').ok).toBe(false);
  });
});

describe('embed snippet', () => {
  it('is one script tag with the pipeline and key', () => {
    expect(
      buildEmbedSnippet({
        serverOrigin: 'https://bot.example.com/',
        pipelineUuid: 'p-1',
        widgetKey: 'bw_wk_abc',
      }),
    ).toBe(
      '<script src="https://bot.example.com/widget.js" data-pipeline="p-1" data-key="bw_wk_abc" async></script>',
    );
  });

  it('escapes attribute values', () => {
    expect(
      buildEmbedSnippet({ serverOrigin: 'https://a', pipelineUuid: 'x"y', widgetKey: '<k&>' }),
    ).toContain('data-pipeline="x&quot;y" data-key="&lt;k&amp;>"');
  });
});
