import { describe, expect, it } from 'vitest';
import { BotwireError } from '../errors/botwire-error.js';
import { checkImageUpload } from './image-upload-check.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

function refusal(action: () => unknown): BotwireError {
  try {
    action();
  } catch (error) {
    if (error instanceof BotwireError) return error;
    throw error;
  }
  throw new Error('expected a BotwireError');
}

describe('checkImageUpload', () => {
  it('returns the sniffed type when the declared one matches', () => {
    expect(checkImageUpload({ bytes: PNG, declaredType: 'image/png', maxBytes: 1_024 })).toBe(
      'image/png',
    );
  });

  it('refuses more than maxBytes with IMAGE_TOO_LARGE, naming the limit', () => {
    const error = refusal(() =>
      checkImageUpload({
        bytes: new Uint8Array(1_025),
        declaredType: 'image/png',
        maxBytes: 1_024,
      }),
    );
    expect(error.code).toBe('IMAGE_TOO_LARGE');
    expect(error.message).toContain('1024');
    expect(error.message).toContain('limits.maxImageBytes');
  });

  it('takes exactly maxBytes', () => {
    const bytes = new Uint8Array(1_024);
    bytes.set(PNG);
    expect(checkImageUpload({ bytes, declaredType: 'image/png', maxBytes: 1_024 })).toBe(
      'image/png',
    );
  });

  it('refuses SVG, saying why', () => {
    const svg = new TextEncoder().encode('<svg onload="alert(1)"></svg>');
    const error = refusal(() =>
      checkImageUpload({ bytes: svg, declaredType: 'image/svg+xml', maxBytes: 1_024 }),
    );
    expect(error.code).toBe('IMAGE_TYPE_UNSUPPORTED');
    expect(error.message).toContain('SVG');
  });

  it('refuses a declared type that is not the content', () => {
    const error = refusal(() =>
      checkImageUpload({ bytes: PNG, declaredType: 'image/jpeg', maxBytes: 1_024 }),
    );
    expect(error.code).toBe('IMAGE_TYPE_UNSUPPORTED');
    expect(error.message).toContain('image/png');
  });

  it('refuses an empty body and one without Content-Type', () => {
    expect(
      refusal(() =>
        checkImageUpload({ bytes: new Uint8Array(0), declaredType: 'image/png', maxBytes: 9 }),
      ).code,
    ).toBe('IMAGE_TYPE_UNSUPPORTED');
    expect(
      refusal(() => checkImageUpload({ bytes: PNG, declaredType: undefined, maxBytes: 1_024 }))
        .code,
    ).toBe('IMAGE_TYPE_UNSUPPORTED');
  });
});
