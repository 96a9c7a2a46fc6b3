/** Each language's context-dropped lint for the doctor; a language without one is not linted (its sites are unknown). */
import type { ServiceLinter } from '../doctor/context-dropped/service-lint-result.js';
import type { Language } from '../types/scan.js';
import { lintGoService } from './go/doctor/context-lint-service.js';
import { lintNodeService } from './node/doctor/context-lint-service.js';
import { lintPythonService } from './python/doctor/context-lint-service.js';

export const CONTEXT_LINTERS: Readonly<Partial<Record<Language, ServiceLinter>>> = {
  node: lintNodeService,
  python: lintPythonService,
  go: lintGoService,
};
