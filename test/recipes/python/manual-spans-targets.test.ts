/**
 * Step 3 for Python on real shapes: spans go where the code does work (a query, a client call, a call into the
 * application's own functions, a state change on a write route), in whichever file of the service it is; trivial
 * handlers get none, and a step with nothing to wrap says why.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Proposal } from '../../../src/types/proposal.js';
import { applyIn, planIn } from '../../helpers/recipe-harness.js';
import { makeSampleRepo, removeSampleRepo } from '../../helpers/sample-repo.js';
import { copyShape } from '../../helpers/shapes.js';
import { pyCompile, pythonFilesOf } from './python-sample.js';
import { withNoActiveVenv } from '../../helpers/no-active-venv.js';

withNoActiveVenv();

let root: string | undefined;
afterEach(async () => {
  if (root) await removeSampleRepo(root);
  root = undefined;
});

const TOOLS = { tools: ['pip'] };

/** Applies step 2's file changes, then plans step 3. */
async function stepThree(dir: string): Promise<{ proposals: Proposal[]; why: string[] }> {
  await applyIn(dir, (await planIn(dir, 'auto-instrumentation', {}, TOOLS)).proposals);
  const plan = await planIn(dir, 'manual-spans', {}, TOOLS);
  return { proposals: plan.proposals, why: plan.nothingProposed.map((n) => n.reason) };
}

const edits = (proposals: Proposal[]) => proposals.filter((p) => p.change.kind === 'edit');

describe('python step 3 chooses its spans by reading the code', () => {
  test('flask app factory: the blueprint handler that queries the database gets a span; trivial handlers do not', async () => {
    root = await copyShape('flask-factory');
    const { proposals } = await stepThree(root);
    expect(edits(proposals).map((p) => p.change.kind === 'edit' && p.change.path)).toEqual(['notebook/auth.py']);
    await applyIn(root, proposals);
    await pyCompile(root, pythonFilesOf(proposals));
    const auth = await readFile(path.join(root, 'notebook/auth.py'), 'utf8');
    expect(auth).toContain('tracer = trace.get_tracer(__name__)');
    expect(auth).toContain(
      'def login():\n    with tracer.start_as_current_span("login"):\n        notes = get_db().execute(',
    );
    expect(auth).toContain('def register():\n    if request.method'); // a write route that only answers: no span
    expect(auth.match(/start_as_current_span\(/g)).toHaveLength(1);
    const init = await readFile(path.join(root, 'notebook/__init__.py'), 'utf8');
    expect(init).not.toContain('start_as_current_span'); // hello() returns a literal
    expect((await planIn(root, 'manual-spans', {}, TOOLS)).proposals).toEqual([]); // applied: nothing more
  });

  test('shapes whose handlers only answer with literals or lookups: no edit, and the step says why', async () => {
    for (const shape of ['flask-gunicorn', 'fastapi-uvicorn', 'django-runserver']) {
      root = await copyShape(shape);
      const { proposals, why } = await stepThree(root);
      expect(edits(proposals), shape).toEqual([]);
      expect(why.join(' '), shape).toMatch(
        /no business operation found in .*: none of its [1-9]\d* route handler\(s\) in \d+ file\(s\) queries a database/,
      );
      await removeSampleRepo(root);
      root = undefined;
    }
  });

  test('a function of the app that a handler calls and that queries gets the span; the handler that only calls it does not', async () => {
    root = await makeSampleRepo({
      'svc/requirements.txt': 'flask==3.1.0\n',
      'svc/app.py':
        'from flask import Flask, jsonify\n\nfrom store import orders_of\n\napp = Flask(__name__)\n\n\n@app.get("/customers/<cid>/orders")\ndef customer_orders(cid):\n    return jsonify(orders_of(cid))\n',
      'svc/store.py':
        'import sqlite3\n\nDB = sqlite3.connect(":memory:", check_same_thread=False)\n\n\ndef orders_of(cid):\n    rows = DB.execute("SELECT id FROM orders WHERE customer = ?", (cid,)).fetchall()\n    return [r[0] for r in rows]\n\n\ndef unused(cid):\n    return DB.execute("SELECT 1").fetchall()\n',
    });
    const { proposals } = await stepThree(root);
    expect(edits(proposals).map((p) => p.change.kind === 'edit' && p.change.path)).toEqual(['svc/store.py']);
    await applyIn(root, proposals);
    await pyCompile(root, pythonFilesOf(proposals));
    const store = await readFile(path.join(root, 'svc/store.py'), 'utf8');
    expect(store).toContain(
      'def orders_of(cid):\n    with tracer.start_as_current_span("orders_of"):\n        rows = DB.execute(',
    );
    expect(store).toContain('def unused(cid):\n    return DB.execute'); // not called from a handler
    expect(await readFile(path.join(root, 'svc/app.py'), 'utf8')).not.toContain('start_as_current_span');
  });

  test('a Django view named in urls.py that calls a client gets a span, with the caught error recorded', async () => {
    root = await makeSampleRepo({
      'manage.py':
        'import os\nimport sys\n\n\ndef main():\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n    from django.core.management import execute_from_command_line\n\n    execute_from_command_line(sys.argv)\n\n\nif __name__ == "__main__":\n    main()\n',
      'requirements.txt': 'django==5.1.4\nrequests==2.32.3\n',
      'site/__init__.py': '',
      'site/settings.py': 'ROOT_URLCONF = "site.urls"\nINSTALLED_APPS = ["shop"]\n',
      'site/urls.py':
        'from django.urls import path\n\nfrom shop import views\n\nurlpatterns = [path("rates/", views.rates), path("", views.home)]\n',
      'shop/__init__.py': '',
      'shop/views.py':
        'import requests\nfrom django.http import JsonResponse\n\n\ndef home(request):\n    return JsonResponse({"ok": True})\n\n\ndef rates(request):\n    try:\n        answer = requests.get("http://rates.internal/today", timeout=2)\n    except requests.RequestException as exc:\n        return JsonResponse({"error": str(exc)}, status=502)\n    return JsonResponse(answer.json())\n',
    });
    const { proposals } = await stepThree(root);
    await applyIn(root, proposals);
    await pyCompile(root, pythonFilesOf(proposals));
    const views = await readFile(path.join(root, 'shop/views.py'), 'utf8');
    expect(views).toContain(
      'def rates(request):\n    with tracer.start_as_current_span("rates") as span:\n        try:',
    );
    expect(views).toMatch(
      /except requests\.RequestException as exc:\n {12}span\.record_exception\(exc\)\n {12}span\.set_status\(StatusCode\.ERROR, str\(exc\)\)/,
    );
    expect(views).toContain('def home(request):\n    return JsonResponse');
  });

  test("route parameters become attributes in the handler's namespace: numbers from int converters, str() of the rest", async () => {
    root = await makeSampleRepo({
      'svc/requirements.txt': 'fastapi==0.115.6\nuvicorn==0.34.0\nhttpx==0.28.1\n',
      'svc/Procfile': 'web: uvicorn main:app --port 8000\n',
      'svc/main.py':
        'import httpx\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/stock/{sku}")\nasync def stock(sku: str):\n    async with httpx.AsyncClient() as client:\n        answer = await client.get(f"http://stock.internal/{sku}")\n    return answer.json()\n',
      'web/requirements.txt': 'flask==3.1.0\nrequests==2.32.3\n',
      'web/app.py':
        'import requests\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/orders/<int:order_id>/status")\ndef order_status(order_id):\n    return requests.get(f"http://orders.internal/{order_id}", timeout=2).json()\n',
    });
    const { proposals } = await stepThree(root);
    await applyIn(root, proposals);
    await pyCompile(root, pythonFilesOf(proposals));
    const main = await readFile(path.join(root, 'svc/main.py'), 'utf8');
    expect(main).toContain(
      'async def stock(sku: str):\n    with tracer.start_as_current_span("stock") as span:\n        span.set_attribute("app.stock.sku", str(sku))\n        async with httpx',
    );
    const app = await readFile(path.join(root, 'web/app.py'), 'utf8');
    expect(app).toContain(
      'def order_status(order_id):\n    with tracer.start_as_current_span("order_status") as span:\n        span.set_attribute("app.order_status.order_id", order_id)\n',
    );
  });
});
