import type { Cause } from './finding.js';
import { exporterEndpointCause } from './causes/exporter-endpoint.js';
import { loadedLateCause } from './causes/loaded-late.js';
import { noPropagatorCause } from './causes/no-propagator.js';
import { serviceNameCause } from './causes/service-name.js';

/** Every cause the doctor knows, in the order they are reported. */
export const CAUSES: readonly Cause[] = [
  loadedLateCause,
  exporterEndpointCause,
  noPropagatorCause,
  serviceNameCause,
];
