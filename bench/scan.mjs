#!/usr/bin/env node
// Bench for the repo scan: builds a synthetic monorepo (~50,000 files, 200 services in four languages, tests, docs,
// assets, and a gitignored node_modules) in the OS temp dir, commits it, then prints the scan time (median of a few
// runs) beside `git ls-files` on the same tree, and the ratio. Targets: within 3x of git ls-files, under 2 s.
//
//   npm run build && node bench/scan.mjs [--services 200] [--files 50000] [--runs 5] [--keep]
//
// Imports the compiled scan from ../dist/repo/scan.js.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const { scanRepo } = await import(new URL('../dist/repo/scan.js', import.meta.url).href);

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const SERVICES = arg('services', 200);
const TARGET_FILES = arg('files', 50_000);
const RUNS = arg('runs', 5);
const KEEP = process.argv.includes('--keep');

const root = mkdtempSync(path.join(tmpdir(), 'trace-guide-bench-'));
let written = 0;
function write(rel, content) {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  written++;
}

const filler = (n) =>
  Array.from(
    { length: n },
    (_, i) => `  // step ${i}: compute the order total, apply discounts and taxes, then persist it\n`,
  ).join('');

const LANGS = ['node', 'node-ts', 'python', 'go', 'java', 'node', 'python', 'go'];
const perService = Math.floor(TARGET_FILES / SERVICES);

function nodeService(dir, i, ts) {
  const ext = ts ? 'ts' : 'js';
  write(
    `${dir}/package.json`,
    JSON.stringify(
      {
        name: `svc-${i}`,
        scripts: { start: ts ? 'node dist/index.js' : 'node src/index.js' },
        dependencies: { express: '^4', axios: '^1', pg: '^8', pino: '^9', kafkajs: '^2' },
      },
      null,
      2,
    ),
  );
  if (ts)
    write(
      `${dir}/tsconfig.json`,
      '{ "compilerOptions": { "module": "NodeNext", "outDir": "dist", "rootDir": "src" } }',
    );
  write(
    `${dir}/src/index.${ext}`,
    `import express from 'express';\nimport pino from 'pino';\nconst app = express();\nconst PORT = process.env.PORT || ${3000 + i};\n${filler(20)}app.listen(PORT);\n`,
  );
  return (k) => {
    const kind = k % 4;
    if (kind === 0)
      return [
        `src/routes/r${k}.${ext}`,
        `import axios from 'axios';\nimport { Router } from 'express';\nimport { helper } from '../lib/h${k}.js';\n${filler(30)}export const r = Router();\n`,
      ];
    if (kind === 1)
      return [
        `src/lib/h${k}.${ext}`,
        `import pg from 'pg';\n${filler(25)}export function helper() { return fetch('http://other/${k}'); }\n`,
      ];
    if (kind === 2) return [`test/t${k}.test.${ext}`, `import { describe, it } from 'vitest';\n${filler(20)}`];
    return [`src/models/m${k}.${ext}`, `export interface M${k} { id: string }\n${filler(15)}`];
  };
}

function pythonService(dir, i) {
  write(`${dir}/requirements.txt`, 'fastapi\nuvicorn\nhttpx\nsqlalchemy\nstructlog\n');
  write(
    `${dir}/app/main.py`,
    `from fastapi import FastAPI\nimport structlog\n\napp = FastAPI()\n${filler(10).replace(/\/\//g, '#')}`,
  );
  return (k) => {
    const kind = k % 3;
    if (kind === 0)
      return [
        `app/routes/r${k}.py`,
        `import httpx\nfrom fastapi import APIRouter\n${filler(30).replace(/\/\//g, '#')}router = APIRouter()\n`,
      ];
    if (kind === 1) return [`app/db/m${k}.py`, `from sqlalchemy import Column\n${filler(25).replace(/\/\//g, '#')}`];
    return [`tests/test_${k}.py`, `import pytest\n${filler(15).replace(/\/\//g, '#')}`];
  };
}

function goService(dir, i) {
  write(
    `${dir}/go.mod`,
    `module example.com/svc${i}\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n\tgithub.com/segmentio/kafka-go v0.4.47\n\tgo.uber.org/zap v1.26.0\n)\n`,
  );
  write(
    `${dir}/cmd/server/main.go`,
    `package main\n\nimport (\n\t"github.com/gin-gonic/gin"\n)\n\nfunc main() {\n\tr := gin.Default()\n${filler(10)}\tr.Run(":${8000 + i}")\n}\n`,
  );
  return (k) => {
    const kind = k % 3;
    if (kind === 0)
      return [
        `internal/h${k}/handler.go`,
        `package h${k}\n\nimport (\n\t"net/http"\n\t"go.uber.org/zap"\n)\n${filler(30)}func Get() { http.Get("http://x") }\n`,
      ];
    if (kind === 1)
      return [`internal/q${k}/queue.go`, `package q${k}\n\nimport "github.com/segmentio/kafka-go"\n${filler(25)}`];
    return [`internal/h${k}/handler_test.go`, `package h${k}\n\nimport "testing"\n${filler(15)}`];
  };
}

function javaService(dir, i) {
  write(
    `${dir}/pom.xml`,
    `<project>\n  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent>\n  <artifactId>svc${i}</artifactId>\n  <dependencies>\n    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>\n  </dependencies>\n</project>\n`,
  );
  write(`${dir}/src/main/resources/application.properties`, `server.port=${9000 + i}\n`);
  write(
    `${dir}/src/main/java/com/acme/App.java`,
    `package com.acme;\nimport org.springframework.boot.SpringApplication;\nimport org.springframework.boot.autoconfigure.SpringBootApplication;\n@SpringBootApplication\npublic class App { public static void main(String[] a) { SpringApplication.run(App.class, a); } }\n`,
  );
  return (k) => {
    const kind = k % 3;
    if (kind === 0)
      return [
        `src/main/java/com/acme/web/C${k}.java`,
        `package com.acme.web;\nimport org.springframework.web.client.RestTemplate;\nimport org.slf4j.Logger;\n${filler(30)}class C${k} {}\n`,
      ];
    if (kind === 1)
      return [
        `src/main/java/com/acme/db/R${k}.java`,
        `package com.acme.db;\nimport jakarta.persistence.Entity;\n${filler(25)}class R${k} {}\n`,
      ];
    return [
      `src/test/java/com/acme/T${k}.java`,
      `package com.acme;\nimport org.junit.jupiter.api.Test;\n${filler(15)}class T${k} {}\n`,
    ];
  };
}

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.alloc(2000, 7),
]);

console.error(`bench: writing ~${TARGET_FILES} files in ${root}`);
let t = performance.now();
write('package.json', JSON.stringify({ name: 'bench-monorepo', private: true, workspaces: ['services/*'] }, null, 2));
write('.gitignore', 'node_modules/\ndist/\n');
write('README.md', '# bench\n');
for (let i = 0; i < SERVICES; i++) {
  const lang = LANGS[i % LANGS.length];
  const dir = `services/${lang}-${i}`;
  const source =
    lang === 'node'
      ? nodeService(dir, i, false)
      : lang === 'node-ts'
        ? nodeService(dir, i, true)
        : lang === 'python'
          ? pythonService(dir, i)
          : lang === 'go'
            ? goService(dir, i)
            : javaService(dir, i);
  write(`${dir}/Dockerfile`, `FROM scratch\nEXPOSE 8080\nCMD ["run"]\n`);
  write(`${dir}/README.md`, `# service ${i}\n`);
  const budget = perService - 6;
  // ~55% source and tests, ~15% docs, ~30% assets and data
  for (let k = 0; k < budget; k++) {
    const slot = k % 20;
    if (slot < 11) {
      const [rel, content] = source(k);
      write(`${dir}/${rel}`, content);
    } else if (slot < 14) write(`${dir}/docs/page-${k}.md`, `# Page ${k}\n\nSome documentation text.\n`.repeat(10));
    else if (slot < 17) write(`${dir}/assets/img-${k}.png`, PNG);
    else if (slot < 19)
      write(`${dir}/data/fixture-${k}.json`, JSON.stringify({ id: k, items: Array.from({ length: 20 }, (_, j) => j) }));
    else write(`${dir}/static/style-${k}.css`, `.c${k} { color: red; }\n`.repeat(20));
  }
}
// A gitignored node_modules (never read by the scan, skipped by git).
for (let p = 0; p < 250; p++) {
  write(`node_modules/pkg-${p}/package.json`, JSON.stringify({ name: `pkg-${p}`, dependencies: { express: '*' } }));
  for (let f = 0; f < 19; f++) write(`node_modules/pkg-${p}/lib/f${f}.js`, `require('express');\n${filler(20)}`);
}
console.error(`bench: wrote ${written} files in ${((performance.now() - t) / 1000).toFixed(1)} s; committing...`);
t = performance.now();
const git = (...args) =>
  execFileSync(
    'git',
    ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args],
    { cwd: root, maxBuffer: 1 << 30 },
  );
git('init', '-q');
git('add', '-A');
git('commit', '-q', '-m', 'bench');
console.error(`bench: committed in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

try {
  // Warm the OS caches once for both.
  spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, maxBuffer: 1 << 30 });
  await scanRepo(root);

  const gitTimes = [];
  let listed = 0;
  for (let r = 0; r < RUNS; r++) {
    const s = performance.now();
    const out = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      maxBuffer: 1 << 30,
    });
    gitTimes.push(performance.now() - s);
    listed = out.stdout.toString().split('\0').filter(Boolean).length;
  }
  const scanTimes = [];
  let result;
  for (let r = 0; r < RUNS; r++) {
    const s = performance.now();
    result = await scanRepo(root);
    scanTimes.push(performance.now() - s);
  }
  const g = median(gitTimes);
  const sc = median(scanTimes);
  const byLang = {};
  for (const s of result.services) byLang[s.language] = (byLang[s.language] ?? 0) + 1;
  console.log(`tree:          ${written} files on disk, ${listed} listed by git (node_modules ignored)`);
  console.log(
    `scan result:   ${result.services.length} services ${JSON.stringify(byLang)}, fileCount ${result.fileCount}, ${result.problems.length} problems`,
  );
  console.log(`git ls-files:  median ${g.toFixed(1)} ms  (runs: ${gitTimes.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`scanRepo:      median ${sc.toFixed(1)} ms  (runs: ${scanTimes.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`ratio:         ${(sc / g).toFixed(2)}x git ls-files   (targets: <= 3x, < 2000 ms)`);
} finally {
  if (!KEEP) rmSync(root, { recursive: true, force: true });
  else console.error(`bench: kept ${root}`);
}
