/**
 * Keeps credentials out of error messages and logs. Keepa takes its key as `?key=`, Helium10 and
 * SP-API use bearer headers, pre-signed report URLs carry `X-Amz-Signature`/`X-Amz-Security-Token`.
 */
const SECRET_PARAM = /key|token|secret|password|passwd|signature|credential|auth/i;
const REDACTED = '[redacted]';

export function isSecretParam(name: string): boolean {
  return SECRET_PARAM.test(name);
}

/** The URL as safe to log: user-info dropped, secret query values replaced. */
export function redactUrl(url: URL): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  for (const name of [...new Set(u.searchParams.keys())]) {
    if (isSecretParam(name)) u.searchParams.set(name, REDACTED);
  }
  return u.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

/** Origin and path only: what a person reading an error message needs. */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Secret values carried by a request (query params and auth headers), to scrub from any text. */
export function secretValues(url: URL, headers: Headers): string[] {
  const out: string[] = [];
  for (const [name, value] of url.searchParams) if (isSecretParam(name) && value) out.push(value);
  if (url.password) out.push(url.password);
  for (const [name, value] of headers) {
    if (name === 'authorization' || name === 'proxy-authorization' || isSecretParam(name)) {
      out.push(value);
      // "Bearer abc": the bare credential may appear on its own too
      const bare = value.split(' ').pop();
      if (bare && bare.length >= 4) out.push(bare);
    }
  }
  return out.filter((v) => v.length >= 4);
}

export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.replaceAll(s, REDACTED);
  return out;
}
