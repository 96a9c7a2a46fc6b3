/**
 * Which commands the model planner may propose: package managers adding or installing dependencies, and Go module
 * tooling — nothing else. Pure: no I/O. A command is a single line of plain words (no shell metacharacters); `&&` may
 * join two allowed commands, as the recipes do (`go get ... && go mod tidy`, `poetry lock && poetry install`).
 */
export type CommandVerdict = { ok: true } | { ok: false; reason: string };

/** Tool → allowed leading sub-command words. A sub-command of one word, or several words joined by a space. */
const ALLOWED: Record<string, readonly string[]> = {
  npm: ['install', 'i', 'add'],
  pnpm: ['install', 'i', 'add'],
  yarn: ['install', 'add'],
  bun: ['install', 'add'],
  pip: ['install'],
  pip3: ['install'],
  poetry: ['add', 'install', 'lock'],
  uv: ['add', 'sync', 'pip install'],
  pipenv: ['install'],
  go: ['get', 'mod tidy'],
};

/** Flags that would send the install somewhere else than the repo or fetch from another registry. */
const FORBIDDEN_FLAGS = [
  '-g',
  '--global',
  '--location=global',
  '--prefix',
  '--target',
  '--root',
  '--user',
  '--registry',
  '--index-url',
  '--extra-index-url',
  '-i',
  '--trusted-host',
  '--find-links',
  '-f',
  '--source',
];

/** One word: letters, digits and the punctuation package specs use (scopes, versions, extras, paths, workspace filters). */
const WORD = /^[A-Za-z0-9@._/:=+~^,%\-[\]]+$/;
const METACHARS = /[;|&`$()<>\\'"*?{}!#\n\r\t]/;

function checkOne(segment: string): CommandVerdict {
  const words = segment.trim().split(/ +/).filter(Boolean);
  if (words.length === 0) return { ok: false, reason: 'empty command' };
  const [tool, ...rest] = words as [string, ...string[]];
  const subs = ALLOWED[tool];
  if (!subs) {
    return { ok: false, reason: `"${tool}" is not an allowed tool (allowed: ${Object.keys(ALLOWED).join(', ')})` };
  }
  // `yarn workspace <name> add ...` and `npm -w <name> install` style: skip workspace selectors before the sub-command.
  let args = rest;
  if (tool === 'yarn' && args[0] === 'workspace' && args.length >= 2) args = args.slice(2);
  const sub = subs.find((s) => {
    const parts = s.split(' ');
    return parts.every((p, i) => args[i] === p);
  });
  if (!sub) {
    return { ok: false, reason: `"${`${tool} ${args[0] ?? ''}`.trim()}" is not allowed; ${tool} may only run: ${subs.join(', ')}` };
  }
  for (const word of rest) {
    if (!WORD.test(word)) return { ok: false, reason: `"${word}" has characters a command may not contain` };
    const flag = word.split('=')[0]!;
    if (FORBIDDEN_FLAGS.includes(word) || FORBIDDEN_FLAGS.includes(flag)) {
      return { ok: false, reason: `the flag "${word}" is not allowed (it installs outside the repo or from another source)` };
    }
  }
  return { ok: true };
}

/** Whether the model may propose `cmd`; when not, the reason (shown to the model so it can correct itself). */
export function isAllowedCommand(cmd: string): CommandVerdict {
  const text = cmd.trim();
  if (text === '') return { ok: false, reason: 'empty command' };
  const segments = text.split(/\s*&&\s*/);
  if (segments.length > 2) return { ok: false, reason: '`&&` may join at most two commands' };
  for (const segment of segments) {
    if (segment.trim() === '') return { ok: false, reason: '`&&` must join two commands' };
    if (METACHARS.test(segment)) {
      return { ok: false, reason: 'shell metacharacters (; | & ` $( ) > < quotes, globs) are not allowed, only `&&` between two commands' };
    }
    const verdict = checkOne(segment);
    if (!verdict.ok) return verdict;
  }
  return { ok: true };
}
