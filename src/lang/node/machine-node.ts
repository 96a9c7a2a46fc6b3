import { execFile } from 'node:child_process';

/** The `node --version` of this machine ("v20.20.2"), asked once and cached; undefined when node cannot be run. */
export class MachineNode {
  private asked: Promise<string | undefined> | undefined;
  constructor(private readonly command: string = 'node') {}

  version(): Promise<string | undefined> {
    this.asked ??= new Promise((resolve) => {
      execFile(this.command, ['--version'], { timeout: 5000 }, (err, stdout) => {
        const text = String(stdout ?? '').trim();
        resolve(err || !/^v?\d+\.\d+\.\d+/.test(text) ? undefined : text);
      });
    });
    return this.asked;
  }
}

/** A machine whose Node version is given (tests, or a caller that already knows it). */
export function fixedMachineNode(version: string | undefined): Pick<MachineNode, 'version'> {
  return { version: async () => version };
}
