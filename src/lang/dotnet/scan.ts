/**
 * .NET (C#, F#): a service per *.csproj / *.fsproj. Listed, no recipes yet: the name is <AssemblyName> or the project
 * file's name, the evidence the project's SDK line, findings from <PackageReference> (and the Web SDK for ASP.NET Core).
 */
import type { Dependency } from '../../repo/manifests/dependency.js';
import { baseName } from '../../repo/text.js';
import { dependencyLines, lineEvidence, listedScanner, listedTable, packageRule } from '../listed-scanner.js';

const TABLE = listedTable('dotnet', [
  packageRule('aspnetcore', 'framework', ['Microsoft.NET.Sdk.Web', 'Microsoft.AspNetCore.*']),
  packageRule('grpc', 'framework', ['Grpc.AspNetCore', 'Grpc.AspNetCore.*']),
  packageRule('httpclient-factory', 'http', ['Microsoft.Extensions.Http']),
  packageRule('confluent-kafka', 'queue', ['Confluent.Kafka']),
  packageRule('rabbitmq', 'queue', ['RabbitMQ.Client']),
  packageRule('entity-framework', 'db', ['Microsoft.EntityFrameworkCore', 'Microsoft.EntityFrameworkCore.*']),
  packageRule('npgsql', 'db', ['Npgsql', 'Npgsql.*']),
  packageRule('stackexchange-redis', 'db', ['StackExchange.Redis']),
  packageRule('serilog', 'logging', ['Serilog', 'Serilog.*']),
  packageRule('opentelemetry', 'tracing', ['OpenTelemetry', 'OpenTelemetry.*']),
]);

export const dotnetScanner = listedScanner(TABLE, (_kind, file, text) => {
  const sdk = lineEvidence(file, text, /<Project\s[^>]*Sdk\s*=/);
  const dependencies: Dependency[] = dependencyLines(file, text, /<PackageReference\s+Include\s*=\s*"([^"]+)"/g);
  const sdkName = sdk && /Sdk\s*=\s*"([^"]+)"/.exec(sdk.text ?? '')?.[1];
  if (sdk && sdkName) dependencies.push({ name: sdkName, evidence: sdk });
  const assembly = /<AssemblyName>\s*([^<\s]+)\s*<\/AssemblyName>/.exec(text)?.[1];
  return {
    name: assembly ?? baseName(file).replace(/\.(?:cs|fs)proj$/, ''),
    ...(sdk && { evidence: sdk }),
    dependencies,
  };
});
