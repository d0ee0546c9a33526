import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VisitorTokenSigner, generateVisitorId, isVisitorToken } from './visitor-token.js';

const PIPELINE = '6f1c2a4e-0000-4000-8000-000000000001';

function signerAt(clock: { now: number }, secret = randomBytes(32)): VisitorTokenSigner {
  return new VisitorTokenSigner({ secret, now: () => clock.now });
}

describe('VisitorTokenSigner', () => {
  it('signs a token that verifies to its claims', () => {
    const clock = { now: Date.parse('2026-12-05T12:00:00Z') };
    const signer = signerAt(clock);
    const visitorId = generateVisitorId();
    const { token, claims } = signer.sign({ pipelineUuid: PIPELINE, visitorId, ttlSeconds: 60 });
    expect(isVisitorToken(token)).toBe(true);
    expect(token.length).toBeLessThan(512);
    expect(signer.verify(token)).toEqual({ ok: true, value: claims });
    expect(claims).toEqual({
      pipelineUuid: PIPELINE,
      visitorId,
      issuedAt: clock.now / 1000,
      expiresAt: clock.now / 1000 + 60,
    });
  });

  it('refuses a token once it expired, by the injected clock', () => {
    const clock = { now: Date.parse('2026-12-05T12:00:00Z') };
    const signer = signerAt(clock);
    const { token } = signer.sign({
      pipelineUuid: PIPELINE,
      visitorId: generateVisitorId(),
      ttlSeconds: 60,
    });
    clock.now += 59_999;
    expect(signer.verify(token).ok).toBe(true);
    clock.now += 1;
    const expired = signer.verify(token);
    expect(expired.ok).toBe(false);
    if (!expired.ok) {
      expect(expired.error.code).toBe('VISITOR_TOKEN_EXPIRED');
      expect(expired.error.message).toContain('2026-12-05T12:01:00.000Z');
    }
  });

  it('refuses tampered claims, signatures, other keys and garbage as invalid', () => {
    const clock = { now: Date.now() };
    const signer = signerAt(clock);
    const { token } = signer.sign({
      pipelineUuid: PIPELINE,
      visitorId: generateVisitorId(),
      ttlSeconds: 3_600,
    });
    const [prefix, payload = '', signature = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const reencode = (changed: Record<string, unknown>) =>
      Buffer.from(JSON.stringify(changed)).toString('base64url');
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    const candidates = [
      `${prefix}.${reencode({ ...claims, p: 'another-pipeline' })}.${signature}`,
      `${prefix}.${reencode({ ...claims, v: 'B'.repeat(22) })}.${signature}`,
      `${prefix}.${reencode({ ...claims, exp: (claims.exp as number) + 86_400 })}.${signature}`,
      `${prefix}.${payload}.${flipped}`,
      `${prefix}.${payload}.`,
      `${prefix}.${payload}`,
      `${token}.extra`,
      signerAt(clock).sign({
        pipelineUuid: PIPELINE,
        visitorId: generateVisitorId(),
        ttlSeconds: 60,
      }).token,
      'bw_visitor.',
      'bw_key_something',
      '',
      `bw_visitor.${'A'.repeat(2_000)}.x`,
    ];
    for (const candidate of candidates) {
      const result = signer.verify(candidate);
      expect({ candidate, ok: result.ok }).toEqual({ candidate, ok: false });
      if (!result.ok) expect(result.error.code).toBe('VISITOR_TOKEN_INVALID');
    }
  });

  it('refuses a signed payload whose claims are malformed', () => {
    const clock = { now: Date.now() };
    const secret = randomBytes(32);
    const signer = signerAt(clock, secret);
    // Signed with the right key, but the visitor id is not one the server makes.
    const { token } = signer.sign({ pipelineUuid: PIPELINE, visitorId: 'short', ttlSeconds: 60 });
    expect(signer.verify(token).ok).toBe(false);
  });

  it('needs a secret of at least 32 bytes', () => {
    expect(() => new VisitorTokenSigner({ secret: randomBytes(16) })).toThrow(/32 bytes/);
  });

  it('makes distinct 128-bit visitor ids', () => {
    const ids = new Set(Array.from({ length: 1_000 }, generateVisitorId));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
