import { redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('replaces secret-looking members at any depth', () => {
    expect(
      redactSecrets({
        username: 'duty',
        password: 'x',
        nested: { passwordHash: 'h', sessionToken: 't', ok: 1 },
        list: [{ apiKey: 'k' }],
      }),
    ).toEqual({
      username: 'duty',
      password: '[redacted]',
      nested: { passwordHash: '[redacted]', sessionToken: '[redacted]', ok: 1 },
      list: [{ apiKey: '[redacted]' }],
    });
  });

  it('removes NUL characters, which jsonb cannot store', () => {
    expect(redactSecrets({ name: 'a\u0000b' })).toEqual({ name: 'ab' });
  });

  it('turns dates into ISO strings and drops undefined members', () => {
    expect(redactSecrets({ at: new Date('2026-01-01T00:00:00Z'), gone: undefined })).toEqual({
      at: '2026-01-01T00:00:00.000Z',
    });
  });
});
