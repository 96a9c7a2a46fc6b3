/** Start commands and default ports for shapes beside the corpus: factories by other names, app.run(), no start script. */
import { describe, expect, it } from 'vitest';
import { scanRepo } from '../../src/repo/scan.js';
import { sampleRepos, service } from './util.js';

const repo = sampleRepos();

describe('start command derivation', () => {
  it('a Flask factory Flask cannot find by name is started through a call; a package is named without __init__', async () => {
    const dir = await repo({
      'requirements.txt': 'flask\n',
      'wiki/__init__.py':
        'from flask import Flask\n\n\ndef build(config=None):\n    """Builds the app."""\n    app = Flask(__name__)\n    return app\n',
    });
    const s = service(await scanRepo(dir));
    expect(s.start).toMatchObject({
      command: "flask --app 'wiki:build()' run",
      evidence: { file: 'wiki/__init__.py', line: 4 },
    });
    expect(s.entrypoint?.file).toBe('wiki/__init__.py');
    expect(s.port).toMatchObject({ value: 5000, defaultVariable: 'FLASK_RUN_PORT' });
  });

  it('a FastAPI factory is started by uvicorn with --factory', async () => {
    const dir = await repo({
      'requirements.txt': 'fastapi\nuvicorn\n',
      'svc/app.py':
        'from fastapi import FastAPI\n\ndef create_app() -> FastAPI:\n    app = FastAPI()\n    return app\n',
    });
    const s = service(await scanRepo(dir));
    expect(s.start?.command).toBe('uvicorn svc.app:create_app --factory');
    expect(s.port).toMatchObject({
      value: 8000,
      defaultVariable: 'UVICORN_PORT',
      frameworkDefault: expect.stringContaining('uvicorn'),
    });
  });

  it('python app.py with app.run() and no port= listens on Flask’s 5000, marked as a default; a port= is read instead', async () => {
    const code = (run: string) =>
      `from flask import Flask\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    ${run}\n`;
    const bare = service(
      await scanRepo(await repo({ 'requirements.txt': 'flask\n', 'app.py': code('app.run(debug=True)') })),
    );
    expect(bare.start?.command).toBe('python app.py');
    expect(bare.port).toMatchObject({
      value: 5000,
      evidence: { file: 'app.py', line: 5 },
      frameworkDefault: expect.stringContaining('app.run()'),
    });
    const stated = service(
      await scanRepo(await repo({ 'requirements.txt': 'flask\n', 'app.py': code('app.run(port=5055)') })),
    );
    expect(stated.port?.value).toBe(5055);
    expect(stated.port?.frameworkDefault).toBeUndefined();
  });

  it('Node without a start script: the listening file run by node (module.parent guard), TypeScript by tsx; no default port', async () => {
    const js = service(
      await scanRepo(
        await repo({
          'package.json': '{"name":"hooks","dependencies":{"express":"^4"}}',
          'server.js':
            "const app = require('express')();\nif (!module.parent) {\n  app.listen(process.env.PORT);\n}\nmodule.exports = app;\n",
        }),
      ),
    );
    expect(js.start).toMatchObject({ command: 'node server.js', source: 'node' });
    expect(js.port).toBeUndefined();
    const ts = service(
      await scanRepo(
        await repo({
          'package.json': '{"name":"tsapi","dependencies":{"express":"^5"},"devDependencies":{"tsx":"^4"}}',
          'src/main.ts': "import express from 'express';\nexpress().listen(5001);\n",
        }),
      ),
    );
    expect(ts.start).toMatchObject({ command: 'npx tsx src/main.ts', source: 'node' });
    expect(ts.port?.value).toBe(5001);
  });

  it('Spring Boot without server.port listens on 8080, marked as a default', async () => {
    const dir = await repo({
      'pom.xml':
        '<project><groupId>x</groupId><artifactId>orders</artifactId><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>',
      'src/main/java/x/App.java':
        'package x;\n@SpringBootApplication\npublic class App { public static void main(String[] a) { SpringApplication.run(App.class, a); } }\n',
    });
    const s = service(await scanRepo(dir));
    expect(s.start?.command).toBe('mvn spring-boot:run');
    expect(s.port).toMatchObject({ value: 8080, defaultVariable: 'SERVER_PORT' });
  });
});
