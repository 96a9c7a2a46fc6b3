/** Ruby: a service per Gemfile. Listed, no recipes yet: findings from its `gem` lines, the first of them as evidence. */
import { dependencyLines, lineEvidence, listedScanner, listedTable, packageRule } from '../listed-scanner.js';

const TABLE = listedTable('ruby', [
  packageRule('rails', 'framework', ['rails', 'railties']),
  packageRule('sinatra', 'framework', ['sinatra']),
  packageRule('hanami', 'framework', ['hanami']),
  packageRule('grape', 'framework', ['grape']),
  packageRule('faraday', 'http', ['faraday']),
  packageRule('sidekiq', 'queue', ['sidekiq']),
  packageRule('ruby-kafka', 'queue', ['ruby-kafka', 'rdkafka', 'karafka']),
  packageRule('pg', 'db', ['pg']),
  packageRule('mysql2', 'db', ['mysql2']),
  packageRule('redis', 'db', ['redis']),
  packageRule('opentelemetry', 'tracing', ['opentelemetry-*']),
  packageRule('datadog', 'tracing', ['ddtrace', 'datadog']),
]);

export const rubyScanner = listedScanner(TABLE, (_kind, file, text) => {
  const evidence = lineEvidence(file, text, /^\s*gem\s+['"]/);
  return { ...(evidence && { evidence }), dependencies: dependencyLines(file, text, /^\s*gem\s+['"]([\w.-]+)['"]/g) };
});
