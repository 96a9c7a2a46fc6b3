/**
 * The file a Dockerfile's CMD/ENTRYPOINT runs is the service's entry and start, not another file that merely has a
 * `__main__` guard (a client script beside the server, as in the microservices demo's email service).
 */
import { describe, expect, it } from 'vitest';
import { scanRepo } from '../../src/repo/scan.js';
import { sampleRepos, service } from './util.js';

const repo = sampleRepos();

const SERVER = [
  'import grpc',
  'from concurrent import futures',
  '',
  'def serve():',
  '    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))',
  "    server.add_insecure_port('[::]:8080')",
  '    server.start()',
  '    server.wait_for_termination()',
  '',
  "if __name__ == '__main__':",
  '    serve()',
  '',
].join('\n');

const CLIENT = [
  'import grpc',
  '',
  'def send():',
  "    channel = grpc.insecure_channel('localhost:8080')",
  '',
  "if __name__ == '__main__':",
  '    send()',
  '',
].join('\n');

describe('scanRepo: the Dockerfile names the entry', () => {
  it('python email_server.py in CMD beats email_client.py with its own __main__ guard', async () => {
    const s = service(
      await scanRepo(
        await repo({
          'requirements.txt': 'grpcio==1.66.1\n',
          'email_client.py': CLIENT,
          'email_server.py': SERVER,
          Dockerfile: 'FROM python:3.12-slim\nCOPY . .\nEXPOSE 8080\nENTRYPOINT [ "python", "email_server.py" ]\n',
        }),
      ),
    );
    expect(s.entrypoint?.file).toBe('email_server.py');
    expect(s.start).toMatchObject({
      command: 'python email_server.py',
      source: 'Dockerfile',
      evidence: { file: 'Dockerfile', line: 4 },
    });
  });

  it('without a Dockerfile, the choice between two __main__ files is unchanged (derived from the code)', async () => {
    const s = service(
      await scanRepo(
        await repo({ 'requirements.txt': 'grpcio==1.66.1\n', 'email_client.py': CLIENT, 'email_server.py': SERVER }),
      ),
    );
    expect(s.start?.source).toBe('python');
  });

  it('a Dockerfile that runs the file the code points at keeps the derived command (no container-only flags)', async () => {
    const s = service(
      await scanRepo(
        await repo({
          'requirements.txt': 'fastapi\nuvicorn\n',
          'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
          'tool.py': "if __name__ == '__main__':\n    print('x')\n",
          Dockerfile: 'FROM python:3.12\nCMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "80"]\n',
        }),
      ),
    );
    expect(s.entrypoint?.file).toBe('main.py');
    expect(s.start).toMatchObject({ command: 'uvicorn main:app', source: 'python' });
  });
});

describe('scanRepo: the Dockerfile names the Go package it builds', () => {
  const GO_MAIN = (role: 'client' | 'server') =>
    role === 'server'
      ? 'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() {\n\ts := grpc.NewServer()\n\t_ = s\n}\n'
      : 'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() {\n\tconn, _ := grpc.Dial("localhost:8080")\n\t_ = conn\n}\n';

  it('go build ./cmd/server in the Dockerfile makes cmd/server the entry, not cmd/client (also a grpc main)', async () => {
    const s = service(
      await scanRepo(
        await repo({
          'go.mod': 'module example.com/email\n\ngo 1.22\n\nrequire google.golang.org/grpc v1.66.0\n',
          'cmd/client/main.go': GO_MAIN('client'),
          'cmd/server/main.go': GO_MAIN('server'),
          Dockerfile:
            'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /server ./cmd/server\n\nFROM gcr.io/distroless/static\nCOPY --from=build /server /server\nENTRYPOINT ["/server"]\n',
        }),
      ),
    );
    expect(s.entrypoint?.file).toBe('cmd/server/main.go');
    expect(s.start).toMatchObject({ command: 'go run ./cmd/server', source: 'go' });
  });
});
