/**
 * Credential-shaped values in span attributes: a query parameter named like a credential (api-key, token, password,
 * sig...), a bearer token, a JWT, a password in a URL, or a header attribute that carries credentials. Values that were
 * already redacted (REDACTED, ***, empty) are fine.
 */
import type { AttributeValue, ReceivedSpan } from '../../receiver/span.js';

/** Attributes that carry URLs, query strings or query text: where a credential in a request ends up. */
export const URL_LIKE_ATTRIBUTES = [
  'url.query',
  'url.full',
  'url.path',
  'http.url',
  'http.target',
  'db.query.text',
  'db.statement',
] as const;
/** Header attributes (`http.request.header.<name>`) whose name alone says they carry credentials. */
const CREDENTIAL_HEADER =
  /^http\.(?:request|response)\.header\.(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|x-access-token|x-amz-security-token)$/i;
const HEADER_ATTRIBUTE = /^http\.(?:request|response)\.header\./i;

/** Query-parameter names that carry credentials (compared without case, `-`/`_` ignored). */
const CREDENTIAL_PARAM =
  /^(?:api-?key|x-?api-?key|apikey|key-?secret|token|access-?token|refresh-?token|id-?token|auth|auth-?token|authorization|password|passwd|pwd|secret|client-?secret|sig|signature|x-?amz-?signature|x-?amz-?credential|x-?amz-?security-?token|x-?goog-?signature|awsaccesskeyid|session-?token)$/i;
const BEARER = /\bbearer\s+[A-Za-z0-9\-._~+/]{8,}=*/i;
const BASIC = /\bbasic\s+[A-Za-z0-9+/]{8,}=*/i;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/;
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^/\s@]+)@/i;
const SQL_PASSWORD = /\b(?:password|passwd|secret|token)\s*=\s*'([^']+)'/i;

function isRedacted(value: string): boolean {
  const v = decodeURIComponent(value.replace(/\+/g, ' ')).trim();
  return v === '' || /^(?:\[?redacted\]?|\{?redacted\}?|\*+|x+|<redacted>|filtered|\[filtered\])$/i.test(v);
}

/** The credential-named parameters of a query string (or of the query of a URL), with non-redacted values. */
function credentialParams(text: string): string[] {
  const q = text.includes('?') ? text.slice(text.indexOf('?') + 1) : text;
  const found: string[] = [];
  for (const pair of q.split(/[&;]/)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = safeDecode(pair.slice(0, eq));
    const value = pair.slice(eq + 1).split('#')[0] ?? '';
    if (CREDENTIAL_PARAM.test(name.replace(/_/g, '-')) && !isRedacted(value)) found.push(name);
  }
  return found;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function strings(value: AttributeValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export interface CredentialFinding {
  attribute: string;
  /** What was found, never the secret itself: "query parameter api-key", "a JWT", "a bearer token". */
  what: string;
}

/** Every credential-shaped value on one span. URL, query, query-text and header attributes are read by name; every other
 * text value is read by shape (a URL with a password or a credential query parameter, a JWT, a bearer or basic token),
 * since an app's own attributes (a callback URL, a connection string) can carry one too. */
export function credentialsIn(span: Pick<ReceivedSpan, 'attributes'>): CredentialFinding[] {
  const out: CredentialFinding[] = [];
  for (const [key, raw] of Object.entries(span.attributes)) {
    const urlLike = (URL_LIKE_ATTRIBUTES as readonly string[]).includes(key);
    const header = HEADER_ATTRIBUTE.test(key);
    const queryText = key === 'db.query.text' || key === 'db.statement';
    for (const value of strings(raw)) {
      if (header && CREDENTIAL_HEADER.test(key) && !isRedacted(value))
        out.push({ attribute: key, what: 'a credential header' });
      const readsAsUrl = urlLike ? !queryText : !header && /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value.trim());
      if (readsAsUrl) {
        for (const name of credentialParams(value)) out.push({ attribute: key, what: `query parameter ${name}` });
      }
      if (!queryText) {
        const pw = URL_PASSWORD.exec(value);
        if (pw && !isRedacted(pw[1]!)) out.push({ attribute: key, what: 'a password in the URL' });
      }
      if (queryText && SQL_PASSWORD.test(value)) out.push({ attribute: key, what: 'a password or token literal' });
      if (JWT.test(value)) out.push({ attribute: key, what: 'a JWT' });
      else if (BEARER.test(value)) out.push({ attribute: key, what: 'a bearer token' });
      else if (BASIC.test(value)) out.push({ attribute: key, what: 'basic credentials' });
    }
  }
  return out;
}

/** The attributes of a span this module reads for credentials: every attribute with a text value. */
export function examinedAttributes(span: Pick<ReceivedSpan, 'attributes'>): string[] {
  return Object.entries(span.attributes)
    .filter(([, value]) => strings(value).length > 0)
    .map(([key]) => key);
}

/** Of the examined attributes, those read by name as request data (URL, query, query text, headers). */
export function requestDataAttributes(keys: readonly string[]): string[] {
  return keys.filter((key) => (URL_LIKE_ATTRIBUTES as readonly string[]).includes(key) || HEADER_ATTRIBUTE.test(key));
}

const REDACTED = 'REDACTED';

/** One recorded value with every credential in it replaced by REDACTED, so evidence can show where it was, never what. */
function redactText(text: string): string {
  let out = text
    .replace(/([?&;]|^)([^=&;?#]+)=([^&;#]*)/g, (whole, sep: string, name: string, value: string) =>
      CREDENTIAL_PARAM.test(safeDecode(name).replace(/_/g, '-')) && !isRedacted(value)
        ? `${sep}${name}=${REDACTED}`
        : whole,
    )
    .replace(new RegExp(JWT.source, 'g'), REDACTED)
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1 ${REDACTED}`)
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)([^/\s@]+)@/gi, `$1${REDACTED}@`)
    .replace(/\b(password|passwd|secret|token)(\s*=\s*)'[^']+'/gi, `$1$2'${REDACTED}'`);
  if (out === text && text.length > 0 && !isRedacted(text)) out = `${REDACTED} (${text.length} characters)`;
  return out;
}

/**
 * The value of an attribute that holds a credential, redacted: credential query parameters, tokens and URL passwords
 * become REDACTED; a value in which no part can be singled out (a credential header) is replaced whole.
 */
export function redactedValue(value: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? redactText(v) : v));
  return value;
}
