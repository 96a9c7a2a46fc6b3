/**
 * Step 2 for Node services (Express, Fastify, NestJS, Koa, plain http): the OpenTelemetry packages in package.json and
 * their install, a generated set-up file that starts NodeSDK with auto-instrumentations (defaults overridable by OTEL_*
 * variables, flushed on SIGTERM/SIGINT), the start script loading it first, and bundles keeping instrumented packages
 * external. Hand-made OpenTelemetry is left alone; other tracers get a migration note instead of a second tracer.
 */
import path from 'node:path';
import type { Service } from '../../../types/scan.js';
import { scriptTarget } from '../detect.js';
import { commandIfInstalled, createFile, editFile, note, serviceHeads } from '../../../plan/proposal-builders.js';
import type { PlanContext } from '../../../plan/context.js';
import type { Proposal } from '../../../types/proposal.js';
import type { Recipe } from '../../../plan/recipe.js';
import { exporterSettings } from '../../../plan/recipes/exporter.js';
import { addDependenciesEdit } from './package-json.js';
import { addCommand, choosePackageManager } from './package-manager.js';
import { findBundler, instrumentedPackages } from './bundler.js';
import {
  existingSetup,
  handWrittenOtel,
  jsStringBody,
  otherTracers,
  readPackageJson,
  setupFileFor,
  type PackageJsonFile,
  type SetupFile,
} from './service-files.js';
import { addStartScript, flagFor, loadSetupInScript, startScripts } from './start-script.js';
import { renderSamplerDefaults } from './sampler-defaults.js';
import { setupPackages } from './versions.js';
import { chooseNodeTrain } from './release-train.js';

const STEP = 'auto-instrumentation' as const;

export async function migrationNote(
  ctx: PlanContext,
  service: Service,
  step: Proposal['step'],
): Promise<Proposal | undefined> {
  const others = otherTracers(service);
  if (others.length === 0) return undefined;
  const names = [...new Set(others.map((f) => f.name))];
  const text = await ctx.templates.render('node/notes/migrate-tracer.txt', {
    serviceName: service.name,
    tracers: names.join(', '),
    evidence: others.map((f) => `${f.evidence.file}:${f.evidence.line}`).join(', '),
    datadog: names.includes('dd-trace'),
    sentry: names.includes('sentry'),
  });
  return note(
    {
      id: `${service.id}:migrate-tracer`,
      step,
      service: service.id,
      title: `Migrate ${service.name} from ${names.join(', ')} to OpenTelemetry`,
      why: 'Two tracers in one process trace every request twice and conflict.',
    },
    text.trimEnd(),
  );
}

/** The file the start command runs, relative to the service root, for the set-up file's comment and notes. */
function entryFor(service: Service, pkg: PackageJsonFile | undefined): string {
  for (const name of startScripts(
    service,
    pkg ?? { path: '', text: '', data: { scripts: {}, dependencies: {}, devDependencies: {} } },
  )) {
    const target = scriptTarget(pkg?.data.scripts[name] ?? '');
    if (target) return target;
  }
  if (service.entrypoint) return path.posix.relative(service.root === '.' ? '' : service.root, service.entrypoint.file);
  return pkg?.data.main ?? 'index.js';
}

export async function renderSetupFile(
  ctx: PlanContext,
  service: Service,
  setup: SetupFile,
  entry: string,
): Promise<string> {
  const exporter = exporterSettings(ctx);
  return ctx.templates.render(setup.esm ? 'node/tracing.mjs' : 'node/tracing.cjs', {
    serviceName: jsStringBody(service.name),
    endpoint: jsStringBody(exporter.endpoint),
    protocol: exporter.protocol,
    entry,
    samplerDefaults: await renderSamplerDefaults(ctx, 'always-on'),
  });
}

async function planService(ctx: PlanContext, service: Service): Promise<Proposal[]> {
  const migration = await migrationNote(ctx, service, STEP);
  if (migration) return [migration];
  const pkg = await readPackageJson(ctx, service);
  if (await handWrittenOtel(ctx, service, pkg)) return [];

  const head = serviceHeads(STEP, service);
  const out: Proposal[] = [];
  const exporter = exporterSettings(ctx);
  const generated = await existingSetup(ctx, service);
  const setup = generated?.file ?? setupFileFor(service);
  const entry = entryFor(service, pkg);

  if (!pkg) {
    out.push(
      note(
        head(
          'package-json',
          `Add a package.json to ${service.name}`,
          'The OpenTelemetry packages are installed through package.json.',
        ),
        `${service.manifest} could not be read as JSON; fix it, then re-plan this step.`,
      ),
    );
    return out;
  }

  // 1. Dependencies, then the install that writes the lockfile.
  const chosen = await chooseNodeTrain(ctx, service);
  const wanted = Object.fromEntries(
    setupPackages(exporter.protocol).map((name) => [name, chosen.train.versions[name]]),
  );
  const depsEdit = addDependenciesEdit(pkg.text, wanted);
  if (depsEdit) {
    const depsId = `${service.id}:otel-dependencies`;
    const missing = Object.entries(wanted).filter(
      ([name]) => !(name in pkg.data.dependencies) && !(name in pkg.data.devDependencies),
    );
    out.push(
      editFile(
        head(
          'otel-dependencies',
          `Add the OpenTelemetry SDK packages to ${pkg.path}`,
          `The SDK, the auto-instrumentations and the OTLP exporter, pinned to one compatible release: ${chosen.reason}.`,
        ),
        pkg.path,
        [depsEdit],
      ),
    );
    const manager = await choosePackageManager(ctx, service);
    if (manager.kind === 'conflict') {
      out.push(
        note(
          head(
            'install-otel',
            `Install the OpenTelemetry packages in ${service.name}`,
            "Two package managers' lockfiles disagree; installing with the wrong one rewrites the other.",
            [depsId],
          ),
          (
            await ctx.templates.render('node/notes/package-manager-conflict.txt', {
              serviceName: service.name,
              folder: manager.folder,
              lockfiles: manager.found.map((f) => f.file).join(', '),
            })
          ).trimEnd(),
        ),
      );
    } else {
      const specs = missing.map(([name, version]) => `${name}@${version}`);
      const { command, cwd } = addCommand(manager, service, pkg.data.name ?? service.name, specs);
      const touches = [...new Set([pkg.path, ...(manager.lockfile ? [manager.lockfile] : [])])];
      out.push(
        await commandIfInstalled(
          ctx,
          manager.manager,
          head(
            'install-otel',
            `Install the OpenTelemetry packages with ${manager.manager}`,
            `Writes node_modules and the lockfile (${manager.reason}).`,
            [depsId],
          ),
          command,
          cwd,
          touches,
        ),
      );
    }
  }

  // 2. The set-up file.
  if (!generated) {
    out.push(
      createFile(
        head(
          'tracing-setup',
          `Create ${setup.path} to start the OpenTelemetry SDK`,
          'Starts NodeSDK with the auto-instrumentations before the app loads, and flushes spans on shutdown.',
        ),
        setup.path,
        await renderSetupFile(ctx, service, setup, entry),
      ),
    );
  }

  // 3. The start script loads it first.
  const scripts = startScripts(service, pkg);
  const edits = scripts.map((s) => loadSetupInScript(pkg, s, setup));
  const scriptEdits = edits.flatMap((e) => (e.kind === 'edit' ? [e] : []));
  if (scriptEdits.length > 0) {
    out.push(
      editFile(
        head(
          'load-tracing',
          `Load ${setup.relative} first in ${scriptEdits.map((e) => `"${e.script}"`).join(', ')}`,
          'The SDK must patch express/http before the application requires them.',
          generated ? [] : [`${service.id}:tracing-setup`],
        ),
        pkg.path,
        scriptEdits.map((e) => e.edit),
      ),
    );
  }
  for (const manual of edits.flatMap((e) => (e.kind === 'manual' ? [e] : []))) {
    out.push(
      note(
        head(
          `load-tracing-${manual.script.replace(/[^\w-]/g, '-')}`,
          `Load the set-up file in the "${manual.script}" script by hand`,
          'The SDK must start before the application loads.',
        ),
        (
          await ctx.templates.render('node/notes/script-not-edited.txt', {
            script: manual.script,
            serviceName: service.name,
            body: manual.body,
            reason: manual.reason,
            flag: flagFor(setup),
          })
        ).trimEnd(),
      ),
    );
  }
  const added = scripts.length === 0 ? addStartScript(service, pkg, setup) : undefined;
  if (added) {
    out.push(
      editFile(
        head(
          'load-tracing',
          `Add a "start" script that runs ${service.name} with ${setup.relative} loaded first`,
          `No package.json script starts ${service.name} (it runs as \`${service.start?.command ?? ''}\`); \`npm start\` will run \`${added.body}\`, so the SDK patches express/http before the application requires them.`,
          generated ? [] : [`${service.id}:tracing-setup`],
        ),
        pkg.path,
        [added.edit],
      ),
    );
  } else if (scripts.length === 0) {
    out.push(
      note(
        head(
          'load-tracing',
          `Start ${service.name} with ${setup.relative} loaded first`,
          'The SDK must start before the application loads.',
        ),
        (
          await ctx.templates.render('node/notes/no-start-script.txt', {
            serviceName: service.name,
            startCommand: service.start?.command ?? '',
            flag: flagFor(setup),
            entry,
          })
        ).trimEnd(),
      ),
    );
  }

  // 4. Bundles keep instrumented packages external.
  const bundler = findBundler(pkg);
  if (bundler && !bundler.externalAlready) {
    if (bundler.edit) {
      out.push(
        editFile(
          head(
            'bundle-externals',
            `Keep node_modules packages out of the esbuild bundle ("${bundler.edit.script}")`,
            'Inlined packages are never patched by the instrumentations.',
          ),
          pkg.path,
          [bundler.edit.pair],
        ),
      );
    } else {
      out.push(
        note(
          head(
            'bundle-externals',
            `Keep instrumented packages external in the ${bundler.bundler} bundle`,
            'Inlined packages are never patched by the instrumentations.',
          ),
          (
            await ctx.templates.render('node/notes/bundler-externals.txt', {
              serviceName: service.name,
              bundler: bundler.bundler,
              evidence: bundler.evidence,
              packages: instrumentedPackages(service).join(', ') || 'express, http clients, database drivers',
              esbuild: bundler.bundler === 'esbuild',
              webpack: bundler.bundler === 'webpack',
              nx: bundler.bundler === 'nx',
              other: !['esbuild', 'webpack', 'nx'].includes(bundler.bundler),
            })
          ).trimEnd(),
        ),
      );
    }
  }
  return out;
}

export const nodeAutoInstrumentation: Recipe = {
  id: 'node-auto-instrumentation',
  step: STEP,
  scope: 'service',
  appliesTo: (service) => service.language === 'node',
  plan: planService,
};
