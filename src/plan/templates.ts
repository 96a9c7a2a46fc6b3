import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { inputError } from '../core/errors.js';

export type TemplateVars = Record<string, string | number | boolean | undefined>;

/**
 * Renders a template: `{{name}}` is replaced by the variable's value; `{{#name}}…{{/name}}` keeps its body only when the
 * variable is truthy and `{{^name}}…{{/name}}` only when it is falsy. A variable the template uses but the caller did not
 * give is an error (a silent empty string would ship a broken config).
 */
export function renderTemplateText(text: string, vars: TemplateVars, name = 'template'): string {
  const sections = /\{\{([#^])([\w-]+)\}\}([\s\S]*?)\{\{\/\2\}\}\n?/g;
  let out = text;
  // Sections may nest different variables; resolve until none are left.
  for (let guard = 0; guard < 20 && sections.test(out); guard++) {
    sections.lastIndex = 0;
    out = out.replace(sections, (_m, sign: string, key: string, body: string) => {
      if (!(key in vars)) throw inputError(`${name}: the section {{${sign}${key}}} needs a variable "${key}"`);
      const on = Boolean(vars[key]);
      return (sign === '#' ? on : !on) ? body : '';
    });
    sections.lastIndex = 0;
  }
  return out.replace(/\{\{([\w-]+)\}\}/g, (_m, key: string) => {
    const value = vars[key];
    if (value === undefined) throw inputError(`${name}: no value for {{${key}}}`);
    return String(value);
  });
}

/** Templates of a skill: files under `<skill dir>/templates/`, read on demand and cached. */
export class Templates {
  private readonly cache = new Map<string, string>();
  constructor(readonly dir: string) {}

  async raw(name: string): Promise<string> {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const file = path.join(this.dir, ...name.split('/'));
    if (!file.startsWith(path.resolve(this.dir) + path.sep))
      throw inputError(`template "${name}" is outside ${this.dir}`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw inputError(`template "${name}" not found in ${this.dir}`);
    }
    this.cache.set(name, text);
    return text;
  }

  async render(name: string, vars: TemplateVars = {}): Promise<string> {
    return renderTemplateText(await this.raw(name), vars, name);
  }
}
