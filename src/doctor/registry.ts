import type { Cause } from './finding.js';
import { bundledCodeCause } from './causes/bundled-code.js';
import { contextDroppedCause } from './causes/context-dropped.js';
import { esmWithoutHookCause } from './causes/esm-without-hook.js';
import { exporterEndpointCause } from './causes/exporter-endpoint.js';
import { loadedLateCause } from './causes/loaded-late.js';
import { noFlushOnExitCause } from './causes/no-flush-on-exit.js';
import { noPropagatorCause } from './causes/no-propagator.js';
import { packagesMissingCause } from './causes/packages-missing.js';
import { pythonProcessModelCause } from './causes/python-process-model.js';
import { samplerDropsChildrenCause } from './causes/sampler-drops-children.js';
import { serviceNameCause } from './causes/service-name.js';
import { versionsMismatchCause } from './causes/versions-mismatch.js';

/** Every cause the doctor knows, in the order they are reported. */
export const CAUSES: readonly Cause[] = [
  loadedLateCause,
  esmWithoutHookCause,
  bundledCodeCause,
  pythonProcessModelCause,
  exporterEndpointCause,
  noFlushOnExitCause,
  noPropagatorCause,
  contextDroppedCause,
  serviceNameCause,
  packagesMissingCause,
  versionsMismatchCause,
  samplerDropsChildrenCause,
];
