/**
 * Which OpenTelemetry JS release train (versions.ts) a Node service gets: the newest train whose engines.node accepts
 * the Node version the service runs on. That version is the lowest one the service's files name (package.json
 * engines.node, .nvmrc / .node-version, Dockerfile `FROM node:<tag>`: node-runtime.ts), else this machine's
 * `node --version` (ctx.machineNode). A service older than every train gets the oldest train, and the reason says so.
 */
import semver from 'semver';
import type { Service } from '../../../types/scan.js';
import type { PlanContext } from '../../../plan/context.js';
import { declaredNodeRuntimes, nodeLineRange, type NodeRuntime } from './node-runtime.js';
import { OTEL_NODE_TRAINS, type OtelNodeTrain } from './versions.js';

export interface TrainChoice {
  train: OtelNodeTrain;
  /** The Node version the choice was made for; undefined when neither the service nor the machine says. */
  runtime: NodeRuntime | undefined;
  /** One line: which train and why. */
  reason: string;
}

const NEWEST = OTEL_NODE_TRAINS[0]!;
const OLDEST = OTEL_NODE_TRAINS[OTEL_NODE_TRAINS.length - 1]!;

/** Whether every Node version of `range` that a train could run on is accepted (the range meets the train's engines). */
function accepts(train: OtelNodeTrain, range: string): boolean {
  return semver.intersects(range, train.node);
}

/** The lowest of several runtimes (the one a train must support for all of them to be supported). */
function lowest(runtimes: NodeRuntime[]): NodeRuntime | undefined {
  return [...runtimes].sort((a, b) => semver.compare(semver.minVersion(a.range)!, semver.minVersion(b.range)!))[0];
}

export function trainForRuntime(runtime: NodeRuntime | undefined): TrainChoice {
  if (!runtime) {
    return {
      train: NEWEST,
      runtime,
      reason: `OpenTelemetry JS ${NEWEST.id} train: no Node version found in the service or on this machine (the train needs Node ${NEWEST.node})`,
    };
  }
  const said = `Node ${runtime.written} (${runtime.source})`;
  const train = OTEL_NODE_TRAINS.find((t) => accepts(t, runtime.range));
  if (!train) {
    return {
      train: OLDEST,
      runtime,
      reason: `OpenTelemetry JS ${OLDEST.id} train, the oldest pinned: ${said} is older than any train supports (${OLDEST.id} needs Node ${OLDEST.node})`,
    };
  }
  const newer = OTEL_NODE_TRAINS.slice(0, OTEL_NODE_TRAINS.indexOf(train));
  const why = newer.length > 0 ? `; ${newer.map((t) => `${t.id} needs Node ${t.node}`).join(', ')}` : '';
  return { train, runtime, reason: `OpenTelemetry JS ${train.id} train for ${said}${why}` };
}

/** The train for a service: from what its files say, else from this machine's Node. */
export async function chooseNodeTrain(ctx: PlanContext, service: Service): Promise<TrainChoice> {
  const declared = lowest(await declaredNodeRuntimes(ctx, service));
  if (declared) return trainForRuntime(declared);
  const machine = await ctx.machineNode.version();
  const range = machine ? nodeLineRange(machine) : undefined;
  return trainForRuntime(
    machine && range
      ? { range, written: machine, source: "this machine's `node --version`; the service names no Node version" }
      : undefined,
  );
}
