import { contentSecurityDirectives } from './security-headers.rules';

describe('contentSecurityDirectives', () => {
  it('leaves out upgrade-insecure-requests over plain http', () => {
    expect(contentSecurityDirectives('http://localhost:3000')['upgrade-insecure-requests']).toBeNull();
    expect(contentSecurityDirectives('http://10.0.0.5')['upgrade-insecure-requests']).toBeNull();
  });

  it('asks browsers to upgrade when the service is served over https', () => {
    expect(contentSecurityDirectives('https://haze.example.cn')['upgrade-insecure-requests']).toEqual([]);
  });

  it('keeps scripts same-origin either way', () => {
    for (const url of ['http://localhost:3000', 'https://haze.example.cn'])
      expect(contentSecurityDirectives(url)['script-src']).toEqual(["'self'"]);
  });
});
