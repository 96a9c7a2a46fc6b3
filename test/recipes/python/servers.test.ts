/**
 * Where the SDK starts, per server model: FastAPI under uvicorn --reload, Django (manage.py and wsgi.py), Flask under
 * gunicorn --preload (post_fork hook), Flask's debug reloader. Each sample: plan → apply → py_compile → undo bytes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { planIn, snapshot, undoIn } from '../../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { applySteps, createdText, STEPS_2_TO_6 } from './python-sample.js';

let root: string | undefined;
afterEach(async () => {
  if (root) await removeSampleRepo(root);
  root = undefined;
});

const FLASK_APP = `import os

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/pay", methods=["POST"])
def pay():
    return jsonify(ok=True)
`;

async function roundTrip(files: Record<string, string>, service: string) {
  root = await makeSampleRepo(files);
  const before = await snapshot(root);
  const result = await applySteps(root, service, STEPS_2_TO_6);
  for (const step of STEPS_2_TO_6) {
    const again = await planIn(root, step, {}, { tools: ['pip'] });
    expect(
      again.proposals.filter((p) => p.service === service),
      `re-planning ${step}`,
    ).toEqual([]);
  }
  const read = (rel: string) => readFile(path.join(root!, rel), 'utf8');
  const undo = async () => {
    await undoIn(root!, result.writes);
    expect(await snapshot(root!)).toEqual(before);
  };
  return { ...result, read, undo };
}

describe('python SDK start per server model', () => {
  test('FastAPI under uvicorn --reload starts the SDK beside the app, which every reloaded child imports', async () => {
    const run = await roundTrip(
      {
        'api/requirements.txt': 'fastapi==0.115.0\nuvicorn==0.30.0\nhttpx==0.27.0\n',
        'api/Procfile': 'web: uvicorn main:app --reload --port 8000\n',
        'api/main.py': `import httpx
from fastapi import FastAPI

app = FastAPI(
    title="api",
)


@app.post("/items")
async def create_item(item: dict):
    async with httpx.AsyncClient() as client:
        try:
            await client.post("http://stock/reserve", json=item)
        except httpx.HTTPError as err:
            return {"error": str(err)}
    return item
`,
      },
      'api',
    );
    const start = run.proposals['auto-instrumentation']!.find((p) => p.id === 'api:start-sdk')!;
    expect(start.why).toMatch(/uvicorn --reload/);
    const main = await run.read('api/main.py');
    expect(main).toContain(
      ')\n\n# OpenTelemetry (trace-guide): see otel_setup.py.\nfrom otel_setup import configure_tracing, instrument_fastapi  # noqa: E402\n\nconfigure_tracing()\ninstrument_fastapi(app)\n',
    );
    expect(main).toContain(
      'async def create_item(item: dict):\n    with tracer.start_as_current_span("create_item") as span:\n        async with httpx.AsyncClient()',
    );
    expect(main).toContain('                span.record_exception(err)\n');
    const setup = await run.read('api/otel_setup.py');
    expect(setup).toContain('FastAPIInstrumentor.instrument_app(app)');
    expect(setup).toContain('HTTPXClientInstrumentor().instrument()');
    expect(await run.read('api/requirements.txt')).toContain(
      'opentelemetry-instrumentation-fastapi==0.66b1\nopentelemetry-instrumentation-httpx==0.66b1\n',
    );
    await run.undo();
  });

  test('Django instruments in manage.py and wsgi.py after DJANGO_SETTINGS_MODULE is set', async () => {
    const run = await roundTrip(
      {
        'site/requirements.txt': 'Django==5.1.4\n',
        'site/manage.py': `#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
`,
        'site/mysite/__init__.py': '',
        'site/mysite/settings.py': 'SECRET_KEY = "dev"\nROOT_URLCONF = "mysite.urls"\n',
        'site/mysite/wsgi.py': `import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")

application = get_wsgi_application()
`,
      },
      'site',
    );
    const ids = run.proposals['auto-instrumentation']!.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['site:otel-setup', 'site:start-sdk', 'site:start-sdk-wsgi']));
    expect(await run.read('site/manage.py')).toContain(
      '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n\n    # OpenTelemetry (trace-guide): see otel_setup.py.\n    from otel_setup import configure_tracing, instrument_django  # noqa: E402\n\n    configure_tracing()\n    instrument_django()\n',
    );
    expect(await run.read('site/mysite/wsgi.py')).toMatch(
      /"mysite\.settings"\)\n\n# OpenTelemetry[^\n]*\nfrom otel_setup import configure_tracing, instrument_django[^\n]*\n\nconfigure_tracing\(\)\ninstrument_django\(\)\n\napplication = /,
    );
    // The site writes no log line of its own and django.server's access line comes after the span: step 6 logs one
    // line per request from the instrumentor's response_hook, inside the span.
    expect(await run.read('site/otel_setup.py')).toContain(
      'DjangoInstrumentor().instrument(response_hook=log_request_in_span)',
    );
    await run.undo();
  });

  test('gunicorn --preload: instrumentation beside the app, the SDK in a post_fork hook', async () => {
    const run = await roundTrip(
      {
        'web/requirements.txt': 'flask==3.1.0\ngunicorn==23.0.0\n',
        'web/Procfile': 'web: gunicorn --preload -w 4 app:app\n',
        'web/app.py': FLASK_APP,
      },
      'web',
    );
    const conf = createdText(run.proposals['auto-instrumentation']!, 'web/gunicorn.conf.py');
    expect(conf).toMatch(/^def post_fork\(server, worker\):/);
    expect(conf).toContain('configure_tracing()');
    const app = await run.read('web/app.py');
    expect(app).toContain('from otel_setup import instrument_flask');
    expect(app).not.toContain('configure_tracing()');
    expect(app).toContain(
      'def pay():\n    with tracer.start_as_current_span("pay"):\n        return jsonify(ok=True)\n',
    );
    expect(run.proposals['auto-instrumentation']!.find((p) => p.id === 'web:gunicorn-post-fork')!.why).toMatch(
      /--preload/,
    );
    await run.undo();
  });

  test('gunicorn with its own config file gets the hook appended there', async () => {
    root = await makeSampleRepo({
      'web/requirements.txt': 'flask==3.1.0\ngunicorn==23.0.0\n',
      'web/Procfile': 'web: gunicorn -c conf/gunicorn.py app:app\n',
      'web/conf/gunicorn.py': 'workers = 4\npreload_app = True\n',
      'web/app.py': FLASK_APP,
    });
    const { proposals } = await planIn(root, 'auto-instrumentation', {}, { tools: ['pip'] });
    const hook = proposals.find((p) => p.id === 'web:gunicorn-post-fork')!;
    expect(hook.change).toEqual({
      kind: 'edit',
      path: 'web/conf/gunicorn.py',
      edits: [
        {
          old: 'workers = 4\npreload_app = True\n',
          new: expect.stringMatching(/^workers = 4\npreload_app = True\n\n\ndef post_fork\(server, worker\):/),
        },
      ],
    });
  });

  test('the Flask debug reloader is detected and the SDK starts in the serving child', async () => {
    const run = await roundTrip(
      {
        'dev/requirements.txt': 'flask==3.1.0\n',
        'dev/app.py': `${FLASK_APP}\n\nif __name__ == "__main__":\n    app.run(debug=True, port=5000)\n`,
      },
      'dev',
    );
    const start = run.proposals['auto-instrumentation']!.find((p) => p.id === 'dev:start-sdk')!;
    expect(start.why).toMatch(/debug reloader/);
    expect(await run.read('dev/app.py')).toContain('configure_tracing()\ninstrument_flask(app)\n');
    await run.undo();
  });

  test("an app built in a factory gets the set-up at the top of the factory's module, before it imports Flask", async () => {
    root = await makeSampleRepo({
      'fac/requirements.txt': 'flask==3.1.0\n',
      'fac/wsgi.py':
        'from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n\n\nif __name__ == "__main__":\n    create_app().run()\n',
    });
    const { proposals } = await planIn(root, 'auto-instrumentation', {}, { tools: ['pip'] });
    const start = proposals.find((p) => p.id === 'fac:start-sdk')!;
    expect(start.change.kind).toBe('edit');
    expect(start.title).toMatch(/top of fac\/wsgi\.py, before create_app\(\) runs/);
    expect(start.change.kind === 'edit' && start.change.edits).toEqual([
      {
        old: 'from flask import Flask\n',
        new: expect.stringMatching(
          /^# OpenTelemetry \(trace-guide\)[\s\S]*\nconfigure_tracing\(\)\ninstrument_flask_apps\(\)\n\nfrom flask import Flask\n$/,
        ),
      },
    ]);
    const setup = createdText(proposals, 'fac/otel_setup.py');
    expect(setup).toContain('def instrument_flask_apps():');
  });

  test('two functions building Flask apps: a note with the lines, not a guessed edit', async () => {
    root = await makeSampleRepo({
      'fac/requirements.txt': 'flask==3.1.0\n',
      'fac/wsgi.py':
        'from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n\n\ndef create_admin():\n    return Flask("admin")\n',
    });
    const { proposals } = await planIn(root, 'auto-instrumentation', {}, { tools: ['pip'] });
    const start = proposals.find((p) => p.id === 'fac:start-sdk')!;
    expect(start.change.kind).toBe('note');
    expect(start.change.kind === 'note' && start.change.text).toContain('instrument_flask(app)');
  });
});
