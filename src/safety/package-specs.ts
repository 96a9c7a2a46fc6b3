/**
 * The shapes of the words a package manager may be given: registry package specs (a name with an optional version or
 * range, and extras for Python), Go module paths, workspace selectors and repo-relative files. Pure. Anything that
 * would make a package manager fetch from elsewhere — a path, a URL, a git spec, a tarball, `file:` / `link:` /
 * `workspace:` / `npm:` protocols — has none of these shapes.
 */

/** npm: an optional @scope/ and a name that starts with neither `.` nor `_`; no `/` otherwise (`user/repo` is GitHub). */
const NPM_NAME = /^(?:@[A-Za-z0-9][A-Za-z0-9._~-]*\/)?[A-Za-z0-9][A-Za-z0-9._~-]*$/;
/** A version, range or dist-tag after `@`: no `/`, `:` or `#`, so never a git, URL, path or protocol spec. */
const NPM_VERSION = /^[A-Za-z0-9.^~<>=*|+ -]+$/;
/** npm (npm-package-arg) and pip treat a word ending like an archive as a local file. */
const ARCHIVE = /\.(?:tgz|tar|tar\.gz|tar\.bz2|tar\.xz|zip|whl|egg|gz|bz2|xz)$/i;

export function isNpmSpec(word: string): boolean {
  const at = word.indexOf('@', 1);
  const name = at === -1 ? word : word.slice(0, at);
  const version = at === -1 ? undefined : word.slice(at + 1);
  if (!NPM_NAME.test(name) || ARCHIVE.test(name)) return false;
  return version === undefined || version === '' || NPM_VERSION.test(version);
}

/** PEP 508 name, extras and version specifiers (no URL `@` reference, no environment markers). */
const PY_NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const PY_EXTRAS = `\\[${PY_NAME}(?:,${PY_NAME})*\\]`;
const PY_SPECIFIER = '(?:===|==|!=|~=|>=|<=|<|>)[A-Za-z0-9.*+!_-]+';
const PIP_SPEC = new RegExp(`^(${PY_NAME})(?:${PY_EXTRAS})?(?:${PY_SPECIFIER}(?:,${PY_SPECIFIER})*)?$`);
/** Poetry also takes `name@constraint` (`name@^1.2`, `name@latest`). */
const POETRY_AT = new RegExp(`^(${PY_NAME})(?:${PY_EXTRAS})?@[A-Za-z0-9.^~<>=*!+,-]+$`);

export function isPipSpec(word: string): boolean {
  const m = PIP_SPEC.exec(word);
  return m !== null && !ARCHIVE.test(m[1]!);
}

export function isPoetrySpec(word: string): boolean {
  if (isPipSpec(word)) return true;
  const m = POETRY_AT.exec(word);
  return m !== null && !ARCHIVE.test(m[1]!);
}

/** A Go module path (its first element a domain name) with an optional @version; never a relative package pattern. */
const GO_MODULE = /^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+(?:\/[A-Za-z0-9_~+-][A-Za-z0-9._~+-]*)*(?:@[A-Za-z0-9._+-]+)?$/;

export function isGoModuleSpec(word: string): boolean {
  return GO_MODULE.test(word) && !word.split(/[/@]/).some((part) => part === '.' || part === '..');
}

/** A path relative to the folder the command runs in that stays below it: no absolute path, `~`, `..` or empty part. */
export function isInnerRelativePath(word: string): boolean {
  if (word === '.') return true;
  if (word.startsWith('-')) return false;
  const parts = word.replace(/^\.\//, '').replace(/\/$/, '').split('/');
  return parts.every((p) => p !== '' && p !== '.' && p !== '..' && /^[A-Za-z0-9._@+-]+$/.test(p));
}

/**
 * A workspace member, as `npm -w`, `pnpm --filter` and `yarn workspace` take it: a package name, or a path inside the
 * repo (the package manager itself refuses a folder that is not one of the repo's workspaces).
 */
export function isWorkspaceSelector(word: string): boolean {
  return NPM_NAME.test(word) || (word !== '.' && isInnerRelativePath(word));
}

/** A simple identifier (a Poetry dependency group). */
export function isPlainName(word: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(word);
}
