import type request from 'supertest';

type Agent = InstanceType<typeof request.agent>;

/** The CSRF token a console page embeds in its forms. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}

/** Opens a console page (which sets the browser's CSRF cookie) and returns its form token. */
export async function formToken(agent: Agent, path = '/dashboard'): Promise<string> {
  const res = await agent.get(path).expect(200);
  return csrfOf(res.text);
}

/** Posts a urlencoded console form with the page's CSRF token. */
export async function postForm(
  agent: Agent,
  path: string,
  fields: Record<string, string | string[]>,
  tokenFrom = '/dashboard',
): Promise<request.Response> {
  const token = await formToken(agent, tokenFrom);
  const body = new URLSearchParams();
  body.append('_csrf', token);
  for (const [k, v] of Object.entries(fields))
    for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return agent.post(path).type('form').send(body.toString());
}
