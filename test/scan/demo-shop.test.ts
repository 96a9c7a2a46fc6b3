import { describe, expect, it } from 'vitest';
import { scanRepo } from '../../src/repo/scan.js';
import { makeSampleRepo, removeSampleRepo } from '../helpers/sample-repo.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { names, service } from './util.js';

describe('scanRepo on the bundled demo system', () => {
  it('finds the three services with their stacks, ports and clients, and no tracing', async () => {
    const scan = await scanRepo(`${PROJECT_ROOT}examples/shop`);
    expect(
      scan.services.map((s) => `${s.root}:${s.language}:${names(s.frameworks).join(',')}:${s.port?.value}`).sort(),
    ).toEqual(['gateway:node:express:3000', 'inventory:go:gin:8081', 'orders:python:flask:5001']);
    expect(names(service(scan, 'gateway').httpClients)).toContain('fetch');
    expect(names(service(scan, 'orders').httpClients)).toContain('requests');
    for (const s of scan.services) expect(s.tracing).toEqual([]);
  });

  it('ignores indirect Go requirements (dependencies of dependencies)', async () => {
    const dir = await makeSampleRepo({
      'go.mod':
        'module svc\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.12.0\n\tgo.mongodb.org/mongo-driver/v2 v2.5.0 // indirect\n)\n',
      'main.go': 'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() { gin.Default().Run(":8080") }\n',
    });
    try {
      const [s] = (await scanRepo(dir)).services;
      expect(s!.dbClients).toEqual([]);
      expect(names(s!.frameworks)).toEqual(['gin']);
    } finally {
      await removeSampleRepo(dir);
    }
  });
});
