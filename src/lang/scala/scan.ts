/**
 * Scala: a service per build.sbt. Listed, no recipes yet: the name is the `name :=` setting (its line the evidence),
 * findings from `"org" %% "artifact"` dependencies.
 */
import type { Dependency } from '../../repo/manifests/dependency.js';
import { lineEvidence, listedScanner, listedTable, packageRule } from '../listed-scanner.js';

const TABLE = listedTable('scala', [
  packageRule('akka-http', 'framework', ['com.typesafe.akka:akka-http']),
  packageRule('pekko-http', 'framework', ['org.apache.pekko:pekko-http']),
  packageRule('http4s', 'framework', ['org.http4s:http4s-*']),
  packageRule('play', 'framework', ['com.typesafe.play:play*', 'org.playframework:play*']),
  packageRule('zio-http', 'framework', ['dev.zio:zio-http']),
  packageRule('opentelemetry', 'tracing', ['io.opentelemetry:*', 'io.opentelemetry.instrumentation:*']),
]);

export const scalaScanner = listedScanner(TABLE, (_kind, file, text) => {
  const dependencies: Dependency[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/"([\w.-]+)"\s*%{1,3}\s*"([\w.-]+)"/g)) {
      dependencies.push({ name: `${m[1]}:${m[2]}`, evidence: { file, line: i + 1, text: line.trim() } });
    }
  });
  const nameLine = lineEvidence(file, text, /^\s*name\s*:=\s*"/);
  const name = nameLine && /:=\s*"([^"]+)"/.exec(nameLine.text ?? '')?.[1];
  const evidence = nameLine ?? lineEvidence(file, text, /scalaVersion\s*:=/);
  return { ...(name && { name }), ...(evidence && { evidence }), dependencies };
});
