import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { TEST_PASSWORD, createTestApp, type TestApp } from '../support/test-app';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Issue 16: responses are gzip-compressed when the client asks. Plain node:http, because supertest and fetch
 * unzip by themselves and would hide what went over the wire.
 */
describe('compression', () => {
  let t: TestApp;
  let port: number;
  let cookie: string;

  const raw = (path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  beforeAll(async () => {
    t = await createTestApp();
    await t.signIn(['AUDITOR'], 'gzip-auditor');
    await new Promise<void>((resolve) => t.app.getHttpServer().listen(0, '127.0.0.1', resolve));
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    const login = await raw(
      '/api/auth/login',
      { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${port}` },
      JSON.stringify({ username: 'gzip-auditor', password: TEST_PASSWORD }),
    );
    if (login.status !== 200) throw new Error(`login answered ${login.status}`);
    cookie = (login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  });
  afterAll(() => t.close());

  it('gzips a console page when asked, and sends it as it is when not', async () => {
    const zipped = await raw('/dashboard', { Cookie: cookie, 'Accept-Encoding': 'gzip' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/i);
    const page = gunzipSync(zipped.body).toString('utf8');
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('id="current-user"'); // signed in, not the login page
    expect(zipped.body.length).toBeLessThan(Buffer.byteLength(page) / 2);

    const plain = await raw('/dashboard', { Cookie: cookie });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toContain('<html lang="zh-CN">');
  });

  it('gzips the OpenAPI document, which unzips to the same JSON as the identity response', async () => {
    const zipped = await raw('/api/docs-json', { 'Accept-Encoding': 'gzip, deflate' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const plain = await raw('/api/docs-json', { 'Accept-Encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const doc = JSON.parse(gunzipSync(zipped.body).toString('utf8'));
    expect(doc.paths['/api/health']).toBeDefined();
    expect(doc).toEqual(JSON.parse(plain.body.toString('utf8')));
  });

  it('still streams the audit CSV (chunked, no length known up front), gzipped', async () => {
    const zipped = await raw('/api/audit/export', { Cookie: cookie, 'Accept-Encoding': 'gzip' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['transfer-encoding']).toBe('chunked');
    expect(zipped.headers['content-length']).toBeUndefined();
    const csv = gunzipSync(zipped.body).toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('user.created');
  });
});
