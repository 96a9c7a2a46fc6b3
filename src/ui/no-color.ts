/**
 * https://no-color.org: a NO_COLOR that is present and not empty turns colour off. Ink paints through chalk, which
 * decides its colour level once, when it is first loaded, from FORCE_COLOR and the terminal, not from NO_COLOR; this
 * module is imported before Ink so that chalk loads with FORCE_COLOR=0 then. `restoreForceColor` puts the variable back
 * afterwards, so the processes the guide starts (installs, services) get the environment the user gave.
 */
const noColor = Boolean(process.env['NO_COLOR']);
const had = Object.hasOwn(process.env, 'FORCE_COLOR');
const before = process.env['FORCE_COLOR'];
if (noColor) process.env['FORCE_COLOR'] = '0';

export function restoreForceColor(): void {
  if (!noColor) return;
  if (had) process.env['FORCE_COLOR'] = before;
  else delete process.env['FORCE_COLOR'];
}
