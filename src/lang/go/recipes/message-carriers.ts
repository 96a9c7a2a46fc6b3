/**
 * Trace context over message queues for Go services: for each Kafka (segmentio/kafka-go, sarama) or AMQP client the
 * scan found, a generated carrier file in the package that uses it (propagation.TextMapCarrier over the message headers
 * plus startXSend / startXProcess helpers with PRODUCER / CONSUMER spans), and where the code produces and consumes.
 */
import path from 'node:path';
import type { Service } from '../../../types/scan.js';
import type { PlanContext } from '../../../plan/context.js';
import { importedPaths } from './go-imports.js';
import { samePackage, type GoSource } from './go-sources.js';
import { lineNumber } from './go-syntax.js';

export interface CarrierFile {
  library: 'kafka-go' | 'sarama' | 'amqp';
  path: string;
  content: string;
}

export interface QueuePlan {
  carriers: CarrierFile[];
  /** The note's text, when some produce/consume site does not use the helpers yet (or a library has no carrier). */
  note?: string;
}

interface Library {
  template: string;
  file: string;
  /** The type or function the generated file declares: its presence in the package means the carrier exists. */
  declares: RegExp;
  /** Produce / consume calls, and the helper calls that show a site is handled. */
  sites: RegExp;
  helpers: RegExp;
  imports: readonly string[];
}

const LIBRARIES: Record<CarrierFile['library'], Library> = {
  'kafka-go': {
    template: 'go/kafka_go_carrier.go.tmpl',
    file: 'otel_kafka_carrier.go',
    declares: /\bkafkaHeaderCarrier\b/,
    sites: /\.(WriteMessages|ReadMessage|FetchMessage)\(/g,
    helpers: /\bstartKafka(?:Send|Process)\(/,
    imports: ['github.com/segmentio/kafka-go'],
  },
  sarama: {
    template: 'go/sarama_carrier.go.tmpl',
    file: 'otel_kafka_carrier.go',
    declares: /\bsaramaProducerCarrier\b/,
    sites: /\.(SendMessage|SendMessages|ConsumeClaim)\(|\.Input\(\)\s*<-/g,
    helpers: /\bstartKafka(?:Send|Process)\(/,
    imports: ['github.com/IBM/sarama', 'github.com/Shopify/sarama'],
  },
  amqp: {
    template: 'go/amqp_carrier.go.tmpl',
    file: 'otel_amqp_carrier.go',
    declares: /\bamqpHeaderCarrier\b/,
    sites: /\.(Publish|PublishWithContext|Consume|ConsumeWithContext)\(/g,
    helpers: /\bstartAMQP(?:Publish|Process)\(/,
    imports: ['github.com/rabbitmq/amqp091-go', 'github.com/streadway/amqp'],
  },
};

export async function planQueuePropagation(
  ctx: PlanContext,
  service: Service,
  sources: readonly GoSource[],
  scopeName: string,
): Promise<QueuePlan> {
  const names = new Set(service.queueClients.map((q) => q.name));
  const carriers: CarrierFile[] = [];
  const places: string[] = [];
  const flags: Record<string, boolean> = {
    kafkaGo: false,
    sarama: false,
    amqp: false,
    confluent: names.has('confluent-kafka-go'),
    nats: names.has('nats.go'),
  };
  const carrierPaths: string[] = [];
  for (const library of ['kafka-go', 'sarama', 'amqp'] as const) {
    if (!names.has(library)) continue;
    const spec = LIBRARIES[library];
    const placesBefore = places.length;
    const users = sources.filter((s) => spec.imports.some((i) => importedPaths(s.text).has(i)));
    const dirs = [...new Set(users.map((s) => path.posix.dirname(s.path)))];
    for (const dir of dirs) {
      const pkg = samePackage(sources, `${dir}/x.go`);
      const user = users.find((s) => path.posix.dirname(s.path) === dir)!;
      const importPath = spec.imports.find((i) => importedPaths(user.text).has(i))!;
      const file = dir === '.' ? spec.file : `${dir}/${spec.file}`;
      carrierPaths.push(file);
      if (!pkg.some((s) => spec.declares.test(s.text)) && !(await ctx.repo.exists(file))) {
        carriers.push({
          library,
          path: file,
          content: await ctx.templates.render(spec.template, {
            packageName: /^package\s+(\w+)/m.exec(user.text)?.[1] ?? 'main',
            scopeName,
            saramaImport: importPath,
            amqpImport: importPath,
          }),
        });
      }
      for (const s of users.filter((u) => path.posix.dirname(u.path) === dir)) {
        if (spec.helpers.test(s.text)) continue;
        for (const m of s.text.matchAll(spec.sites))
          places.push(`- ${s.path}:${lineNumber(s.text, m.index)} ${m[0].replace(/^\./, '')}`);
      }
    }
    if (places.length > placesBefore) flags[library === 'kafka-go' ? 'kafkaGo' : library] = true;
  }
  if (!Object.values(flags).some(Boolean)) return { carriers };
  const note = await ctx.templates.render('go/queue-propagation-note.md.tmpl', {
    ...flags,
    carrierFile: carrierPaths.join(', ') || 'the carrier file',
    places: places.join('\n'),
  });
  return { carriers, note };
}
