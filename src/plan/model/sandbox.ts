/**
 * What the model planner may see of the repo: the files listListFiles lists (so .gitignore applies and dependency
 * folders are skipped), minus secret files (.env*, keys, credentials) and files over a size cap; symlinks are never
 * followed. Everything sent to the model goes through `redactSecrets` first.
 */
import path from 'node:path';
import { listFiles } from '../../repo/files.js';
import { FileReader } from '../../repo/read.js';

/** Files larger than this are not shown to the model. */
export const MAX_FILE_BYTES = 256 * 1024;

export const REDACTED = '[REDACTED]';

const SECRET_NAMES: readonly RegExp[] = [
  /^\.env($|\.)/i,
  /\.env$/i,
  /\.(pem|key|p12|pfx|jks|keystore|asc|gpg)$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)/i,
  /^credentials($|\.)/i,
  /credentials\.json$/i,
  /^(service-account|serviceaccount).*\.json$/i,
  /^secrets?\.(ya?ml|json|toml|env)$/i,
  /^\.(npmrc|pypirc|netrc|pgpass|htpasswd)$/i,
  /\.tfvars$/i,
  /\.tfstate(\.backup)?$/i,
];

/** True when the file's name marks it as holding secrets (by name only: any folder). */
export function isSecretPath(rel: string): boolean {
  const base = rel.split('/').pop() ?? rel;
  return SECRET_NAMES.some((re) => re.test(base)) || rel.split('/').includes('.aws') || rel.split('/').includes('.ssh');
}

interface SecretRule {
  name: string;
  re: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const whole = (): string => REDACTED;

const RULES: readonly SecretRule[] = [
  {
    name: 'private key block',
    re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)/g,
    replace: whole,
  },
  { name: 'AWS access key id', re: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/g, replace: whole },
  { name: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})\b/g, replace: whole },
  { name: 'Slack token', re: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g, replace: whole },
  { name: 'Slack webhook', re: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g, replace: whole },
  { name: 'Anthropic key', re: /\bsk-ant-[A-Za-z0-9_-]{16,}/g, replace: whole },
  { name: 'OpenAI-style key', re: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}/g, replace: whole },
  { name: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: whole },
  { name: 'Stripe key', re: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g, replace: whole },
  { name: 'JWT', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, replace: whole },
  {
    name: 'connection string password',
    re: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/'"`]+:)([^\s@/'"`]+)(@)/gi,
    replace: (_m, a, _pw, c) => `${a}${REDACTED}${c}`,
  },
  { name: 'bearer token', re: /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/g, replace: (_m, a) => `${a}${REDACTED}` },
  {
    // password = "x", API_TOKEN: 'x', secret=x (not a function call like token = getToken())
    name: 'secret assignment',
    re: /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret)[A-Za-z0-9_.-]*["']?)(\s*(?::=|=|:)\s*)("[^"\n]+"|'[^'\n]+'|`[^`\n]+`|(?![\w.]*\()[^\s"'`,;)}\]]+)/gi,
    replace: (_m, a, b, value) => {
      const v = value ?? '';
      const q = v[0] === '"' || v[0] === "'" || v[0] === '`' ? v[0] : '';
      return `${a}${b}${q}${REDACTED}${q}`;
    },
  },
];

/** Replaces anything that looks like a secret with [REDACTED]; returns the text and how many were replaced. */
export function redactSecrets(text: string): { text: string; redacted: number } {
  let out = text;
  let redacted = 0;
  for (const rule of RULES) {
    out = out.replace(rule.re, (...args: unknown[]) => {
      const match = args[0] as string;
      if (match.includes(REDACTED) && rule.name === 'secret assignment' && /\[REDACTED\]["'`]?$/.test(match)) return match;
      redacted++;
      const groups = args.slice(1).filter((g): g is string => typeof g === 'string' || g === undefined) as string[];
      return rule.replace(match, ...groups);
    });
  }
  return { text: out, redacted };
}

export type ReadResult = { ok: true; text: string; lines: number; redacted: number } | { ok: false; message: string };

/** The files of one repo the model may read, listed once per planning step. */
export class Sandbox {
  private readonly reader: FileReader;

  private constructor(
    readonly root: string,
    /** Sorted repo-relative POSIX paths. */
    readonly files: readonly string[],
    private readonly visible: ReadonlySet<string>,
  ) {
    this.reader = new FileReader(root, MAX_FILE_BYTES);
  }

  static async open(root: string): Promise<Sandbox> {
    const listed = await listFiles(root);
    const files = listed.files.filter((f) => !isSecretPath(f));
    return new Sandbox(root, files, new Set(files));
  }

  /** Normalised repo-relative form, or undefined when the path tries to leave the repo. */
  normalise(rel: string): string | undefined {
    if (rel === '' || rel.includes('\0') || path.posix.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return undefined;
    const normal = path.posix.normalize(rel.replace(/\\/g, '/')).replace(/^\.\//, '');
    if (normal === '..' || normal.startsWith('../')) return undefined;
    return normal;
  }

  isVisible(rel: string): boolean {
    const normal = this.normalise(rel);
    return normal !== undefined && this.visible.has(normal);
  }

  /** Why the model may not read `rel`, or undefined when it may (before the size check). */
  refusal(rel: string): string | undefined {
    const normal = this.normalise(rel);
    if (normal === undefined) return `"${rel}" is outside the repo; paths are relative to the repo root`;
    if (isSecretPath(normal)) return `"${normal}" may hold secrets and is never shown`;
    if (!this.visible.has(normal)) return `"${normal}" is not a file of the repo (or it is git-ignored); use list_files`;
    return undefined;
  }

  /** The whole text of a visible file, redacted. */
  async read(rel: string): Promise<ReadResult> {
    const refused = this.refusal(rel);
    if (refused) return { ok: false, message: refused };
    const raw = await this.readRaw(rel);
    if (!raw.ok) return raw;
    const { text, redacted } = redactSecrets(raw.text);
    return { ok: true, text, lines: text.split('\n').length, redacted };
  }

  /** The unredacted text of a visible file, for checking proposed edits; never sent to the model. */
  async readRaw(rel: string): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
    const refused = this.refusal(rel);
    if (refused) return { ok: false, message: refused };
    const normal = this.normalise(rel)!;
    const outcome = this.reader.read(normal);
    if (!outcome.ok) return { ok: false, message: outcome.message };
    // A symlink inside the repo is followed only to a file the model may see: never to .env or a key.
    if (outcome.real !== normal && (isSecretPath(outcome.real) || !this.visible.has(outcome.real))) {
      return { ok: false, message: `"${normal}" is a symlink to a file that is never shown` };
    }
    return { ok: true, text: outcome.text };
  }
}
