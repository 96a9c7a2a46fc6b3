/** The service-name fix per language: a line in the set-up's own language, placed where the SDK has not read it yet. */
import { describe, expect, it } from 'vitest';
import { serviceNameFix } from '../../src/doctor/causes/service-name.js';
import type { Service } from '../../src/types/scan.js';
import { sourceFile } from '../../src/source-reading/code.js';

function service(language: Service['language']): Service {
  return { id: 'svc', name: 'svc', root: 'svc', language } as Service;
}

function editOf(p: ReturnType<typeof serviceNameFix>[number] | undefined) {
  if (!p || p.change.kind !== 'edit') throw new Error(`expected an edit, got ${p?.change.kind}`);
  return p.change.edits[0]!;
}

describe('service-name fix', () => {
  it('puts a JavaScript default before the first statement of a CommonJS set-up', () => {
    const f = sourceFile(
      'svc/tracing.js',
      'node',
      "'use strict';\nconst { NodeSDK } = require('@opentelemetry/sdk-node');\nnew NodeSDK().start();\n",
    );
    const e = editOf(serviceNameFix(service('node'), f)[0]);
    expect(e.new).toBe(
      `process.env.OTEL_SERVICE_NAME ??= "svc";\nconst { NodeSDK } = require('@opentelemetry/sdk-node');`,
    );
  });

  it('puts it after the imports of an ESM set-up (imports are hoisted), and not inside a multi-line import', () => {
    const esm = sourceFile(
      'svc/tracing.mjs',
      'node',
      "import { NodeSDK } from '@opentelemetry/sdk-node';\nimport {\n  x,\n} from './x.mjs';\nnew NodeSDK().start();\n",
    );
    const e = editOf(serviceNameFix(service('node'), esm)[0]);
    expect(e.old).toBe("} from './x.mjs';");
    expect(e.new).toBe(`} from './x.mjs';\nprocess.env.OTEL_SERVICE_NAME ??= "svc";`);
  });

  it('gives Python an os.environ.setdefault before the first OpenTelemetry import, never a JavaScript line', () => {
    const f = sourceFile(
      'svc/tracing.py',
      'python',
      'import logging\nfrom opentelemetry import trace\nfrom opentelemetry.sdk.trace import TracerProvider\n',
    );
    const e = editOf(serviceNameFix(service('python'), f)[0]);
    expect(e.new).toBe('import os\nos.environ.setdefault("OTEL_SERVICE_NAME", "svc")\nfrom opentelemetry import trace');
    expect(e.new).not.toContain('process.env');
  });

  it('gives Go a note naming the resource attribute', () => {
    const f = sourceFile('svc/tracing.go', 'go', 'package main\n\nfunc setup() {}\n');
    const [p] = serviceNameFix(service('go'), f);
    expect(p?.change.kind).toBe('note');
    expect(JSON.stringify(p?.change)).toContain('semconv.ServiceName(\\"svc\\")');
  });
});
