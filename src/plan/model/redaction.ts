/**
 * What trace-guide never sends to a model: secret files (by name) and secret values inside the files it does send.
 *
 * Values are found two ways, both as spans of the raw text (so an edit can be matched against the redacted view and
 * mapped back to the raw file, see redacted-doc.ts):
 * - by value shape: PEM blocks, JWTs, cloud / SaaS tokens with a known prefix, AWS key ids, credentials in URLs,
 *   Authorization schemes (Basic, Bearer, Digest), long high-entropy strings;
 * - by key shape: the value of an assignment, header or setting whose name holds pass, secret, token, key (with another
 *   word: api_key, SIGNING_KEY), auth, credential, signing, private, honeycomb... (`DB_PASS=x`, `x-honeycomb-team: x`,
 *   ini `pass=x`), unless the value is plainly not a secret (a reference like process.env.X or ${X}, a boolean, a type).
 */

export const REDACTED = '[REDACTED]';

/** A half-open range [start, end) of the raw text. */
export interface Span {
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Secret files (by name, in any folder): never listed, read or written for the model.

const SECRET_NAMES: readonly RegExp[] = [
  /^\.env/i, // .env, .env.local, .envrc, .env-prod
  /\.env$/i,
  /\.(pem|key|p12|pfx|jks|keystore|asc|gpg|crt|cer|der|p8|kdbx)$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)/i,
  /^credentials?($|\.(json|ya?ml|toml|ini|env|txt|xml|csv)$)/i,
  /[._-]credentials?\.json$/i,
  /^(service-account|serviceaccount).*\.json$/i,
  /^secrets?($|\.(ya?ml|json|toml|env|ini|txt)$)/i,
  /^\.(npmrc|yarnrc|pypirc|netrc|pgpass|htpasswd|git-credentials|dockercfg|boto|s3cfg|my\.cnf)$/i,
  /^_netrc$/i,
  /^(kubeconfig|\.kubeconfig)$/i,
  /\.tfvars(\.json)?$/i,
  /\.tfstate(\.backup)?$/i,
];
const SECRET_FOLDERS = new Set(['.aws', '.ssh', '.gnupg', '.docker', '.kube', '.azure', '.gcloud']);

/** True when the file's name or folder marks it as holding secrets. */
export function isSecretPath(rel: string): boolean {
  const parts = rel.split('/');
  const base = parts[parts.length - 1] ?? rel;
  return SECRET_NAMES.some((re) => re.test(base)) || parts.slice(0, -1).some((p) => SECRET_FOLDERS.has(p));
}

// ---------------------------------------------------------------------------------------------------------------
// Value shapes.

/** Whole-match secrets with a recognisable shape. */
const SHAPES: readonly RegExp[] = [
  /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g,
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b/g,
  /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\bnpm_[A-Za-z0-9]{30,}\b/g,
  /\bxox[abposre]-[A-Za-z0-9-]{10,}/g,
  /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g,
  /\bsk-ant-[A-Za-z0-9_-]{16,}/g,
  /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g,
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g,
  /\bhc[a-z]{1,3}_[A-Za-z0-9]{20,}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

/** Credentials in a URL: the password of user:password@, or a lone token used as the user (https://TOKEN@host). */
const URL_USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/([^\s:@/'"`<>]*)(?::([^\s@/'"`<>]*))?@/gi;

/** An Authorization scheme followed by its credential. */
const AUTH_SCHEME = /\b(?:Basic|Bearer|Digest|Token)\s+([A-Za-z0-9._~+/=-]{8,})/gi;

/** A run of token characters long enough to be a key. */
const LONG_RUN = /(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_=-]{32,}(?![A-Za-z0-9+/_=-])/g;

function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Random-looking: upper case, lower case and digits mixed, and high entropy per character (not a word or a path). */
function looksRandom(run: string): boolean {
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run) && entropy(run) >= 4.2;
}

function credentialLike(value: string): boolean {
  return /[0-9=+/_.-]/.test(value) || /[A-Z]/.test(value.slice(1));
}

// ---------------------------------------------------------------------------------------------------------------
// Key shapes.

const SECRET_WORDS = new Set([
  'pass',
  'passwd',
  'password',
  'passwords',
  'passphrase',
  'pwd',
  'pw',
  'secret',
  'secrets',
  'token',
  'tokens',
  'credential',
  'credentials',
  'creds',
  'auth',
  'authorization',
  'signing',
  'private',
  'privkey',
  'apikey',
  'honeycomb',
  'salt',
  'dsn',
]);
const KEY_WORDS = new Set(['key', 'keys']);
/** Words that make "…_key" an ordinary key (a database or cache key), not a secret one. */
const PLAIN_KEY_WORDS = new Set([
  'primary',
  'foreign',
  'sort',
  'cache',
  'partition',
  'routing',
  'unique',
  'lookup',
  'composite',
  'index',
  'idempotency',
  'group',
  'dict',
  'map',
  'hash',
  'public',
]);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether a setting, header or variable of this name holds a secret. */
export function isSecretKeyName(name: string): boolean {
  const ws = words(name);
  if (ws.some((w) => SECRET_WORDS.has(w))) return true;
  if (ws.some((w) => KEY_WORDS.has(w)) && ws.length > 1 && !ws.some((w) => PLAIN_KEY_WORDS.has(w))) return true;
  // An environment variable of exporter headers carries API keys (OTEL_EXPORTER_OTLP_HEADERS=x-api-key=...).
  return /^[A-Z0-9_]+$/.test(name) && ws.includes('headers');
}

const NOT_SECRET_VALUE =
  /^(?:true|false|null|none|nil|undefined|yes|no|on|off|str|string|int|integer|bool|boolean|float|number|bytes|any|object|secretstr|optional\b.*|required|changeme)$/i;
const REFERENCE =
  /^(?:process\.env\b|import\.meta\.env\b|os\.environ|os\.getenv|os\.Getenv|getenv|env\.|ENV\[|System\.getenv|settings\.|config\.|\$\{|\$[A-Za-z_(]|%\(|\{\{|<%|#\{)/;
const CODE_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;

function isSecretValue(value: string, quoted: boolean): boolean {
  const v = value.trim();
  if (v === '' || v.includes(REDACTED) || /^[=<>!]/.test(v)) return false; // a comparison, not a value
  if (NOT_SECRET_VALUE.test(v) || REFERENCE.test(v)) return false;
  if (/\$\{|\{\{|#\{/.test(v)) return false; // a template built from variables: `Bearer ${token}`
  if (!quoted && (CODE_PATH.test(v) || /^\d{1,5}$/.test(v))) return false;
  return true;
}

/**
 * name (optionally quoted) then =, :, := or => then a value: quoted, or a bare run up to a delimiter. The name must not
 * be preceded by a name character, so `monkey: x` is the name monkey, not key.
 */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.-])(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1[ \t]*(?::=|=>|=|:)[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|`([^`\n]*)`|([^\s"'`,;(){}[\]]+))/g;

function assignmentSpans(text: string, out: Span[]): void {
  ASSIGNMENT.lastIndex = 0;
  for (let m = ASSIGNMENT.exec(text); m !== null; m = ASSIGNMENT.exec(text)) {
    const name = m[2]!;
    const quotedValue = m[3] ?? m[4] ?? m[5];
    const value = quotedValue ?? m[6] ?? '';
    const valueEnd = m.index + m[0].length;
    const valueStart = valueEnd - value.length - (quotedValue !== undefined ? 1 : 0);
    const afterValue = text[valueEnd];
    const call = quotedValue === undefined && (afterValue === '(' || afterValue === '['); // code: a call or an index
    if (isSecretKeyName(name) && !call && isSecretValue(value, quotedValue !== undefined)) {
      out.push({ start: valueStart, end: valueStart + value.length });
    } else if (quotedValue === undefined) {
      // Not a secret here: look again inside the value (OTEL_EXPORTER_OTLP_HEADERS=x-honeycomb-team=abc).
      ASSIGNMENT.lastIndex = valueStart;
      if (ASSIGNMENT.lastIndex <= m.index) ASSIGNMENT.lastIndex = m.index + 1;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

function merge(spans: Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** The secret spans of a text: sorted, disjoint, adjacent ones joined. */
export function secretSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const re of SHAPES) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text))
      spans.push({ start: m.index, end: m.index + m[0].length });
  }
  URL_USERINFO.lastIndex = 0;
  for (let m = URL_USERINFO.exec(text); m !== null; m = URL_USERINFO.exec(text)) {
    const user = m[1] ?? '';
    const password = m[2];
    const at = m.index + m[0].length - 1; // the @
    if (password !== undefined && password !== '') spans.push({ start: at - password.length, end: at });
    else if (password === undefined && user.length >= 16) spans.push({ start: at - user.length, end: at });
  }
  AUTH_SCHEME.lastIndex = 0;
  for (let m = AUTH_SCHEME.exec(text); m !== null; m = AUTH_SCHEME.exec(text)) {
    const credential = m[1]!;
    if (credentialLike(credential))
      spans.push({ start: m.index + m[0].length - credential.length, end: m.index + m[0].length });
  }
  LONG_RUN.lastIndex = 0;
  for (let m = LONG_RUN.exec(text); m !== null; m = LONG_RUN.exec(text)) {
    if (looksRandom(m[0])) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  assignmentSpans(text, spans);
  return merge(spans);
}

/** The text with every span replaced by [REDACTED]. */
export function applySpans(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + REDACTED;
    at = s.end;
  }
  return out + text.slice(at);
}

/** Replaces anything that looks like a secret with [REDACTED]; returns the text and how many were replaced. */
export function redactSecrets(text: string): { text: string; redacted: number } {
  const spans = secretSpans(text);
  return { text: applySpans(text, spans), redacted: spans.length };
}

/** Every string inside a JSON-like value redacted (before it is serialised, so escaping cannot hide a secret). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value).text as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactDeep(v)]),
    ) as T;
  }
  return value;
}
