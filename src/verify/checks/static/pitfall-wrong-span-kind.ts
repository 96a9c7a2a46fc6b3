/**
 * pitfall-wrong-span-kind: kinds drive service graphs and span metrics. Flags a manual SERVER span where the framework
 * instrumentation already makes the request's SERVER span (the manual one should be INTERNAL), a PRODUCER / CONSUMER
 * span around code that does not publish / consume, a message publish wrapped in a span of another explicit kind, and
 * a CLIENT span around code that makes no outgoing call.
 */
import type { Check } from '../../check.js';
import { evidence } from '../../../source-reading/code.js';
import { combine, type Finding } from './support/result.js';
import { checkedServices, serviceSources } from '../../../source-reading/repo-files.js';
import { sdkSetup } from '../../../source-reading/sdk-setup.js';
import { serviceSpanStarts } from '../../../source-reading/spans.js';
import { NO_SPANS_FIX } from './pitfall-span-not-ended.js';

const ITEM = 'pitfall-wrong-span-kind';

type Kind = 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER' | 'INTERNAL';

function kindOf(args: string): Kind | undefined {
  const m = /SpanKind(?:\.|)(SERVER|CLIENT|PRODUCER|CONSUMER|INTERNAL|Server|Client|Producer|Consumer|Internal)\b/.exec(
    args,
  );
  return m ? (m[1]!.toUpperCase() as Kind) : undefined;
}

const FRAMEWORK_INSTRUMENTATION =
  /otelgin|otelhttp\.NewHandler|otelhttp\.WithRouteTag|otelecho|otelmux|otelchi|FlaskInstrumentor|DjangoInstrumentor|FastAPIInstrumentor|instrument_app|getNodeAutoInstrumentations|auto-instrumentations-node|instrumentation-express|instrumentation-http|instrumentation-fastify/;
const OUTGOING =
  /\bfetch\s*\(|\baxios\b|\bhttp\.(?:get|request|Get|Post|NewRequest\w*)\s*\(|\.Do\s*\(|\brequests\.\w+\s*\(|\b_?http\w*\.(?:get|post|put|delete|request)\s*\(|\bhttpx\.|\.query\s*\(|\.execute\s*\(|\.Exec\w*\s*\(|\.Query\w*\s*\(|\bgot\s*\(|\bsuperagent\b|\.send\s*\(|\.publish\s*\(|\.produce\s*\(|\bbasic_publish\s*\(|\bWriteMessages\s*\(|\bSendMessage\s*\(|\.invoke\s*\(|\bgrpc\b|Client\.\w+\s*\(/;
const PUBLISH =
  /\.produce\s*\(|\bbasic_publish\s*\(|\bsendToQueue\s*\(|\bWriteMessages\s*\(|\bSendMessage\w*\s*\(|\bproducer\.send\s*\(|\.publish\s*\(/;
const CONSUME =
  /\bconsume\s*\(|\bbasic_consume\s*\(|\bReadMessage\s*\(|\bFetchMessage\s*\(|\bpoll\s*\(|\bon_message\b|\beachMessage\b|\bReceiveMessage\w*\s*\(/;

export const pitfallWrongSpanKind: Check = {
  itemId: ITEM,
  async run(ctx) {
    const findings: Finding[] = [];
    let spans = 0;
    for (const service of checkedServices(ctx)) {
      const setup = await sdkSetup(ctx, service);
      const sources = setup.files;
      const framework = sources.some((f) => FRAMEWORK_INSTRUMENTATION.test(f.code)) || setup.agentStart !== undefined;
      for (const s of serviceSpanStarts(sources)) {
        spans++;
        const kind = kindOf(s.args);
        const region = s.file.code.slice(s.region.start, s.region.end);
        const label = `${s.file.path}: span ${s.name !== undefined ? `"${s.name}"` : s.nameExpr}`;
        const ev = [evidence(s.file, s.index)];
        if (kind === 'SERVER' && framework) {
          findings.push({
            status: 'fail',
            message: `${label} is SERVER, but the framework instrumentation already creates the request's SERVER span`,
            evidence: ev,
            fix: 'Use INTERNAL (the default) for work inside a request.',
          });
        } else if (kind === 'PRODUCER' && !PUBLISH.test(region)) {
          findings.push({
            status: 'fail',
            message: `${label} is PRODUCER but publishes no message`,
            evidence: ev,
            fix: 'Use PRODUCER only around the send of a message; INTERNAL for other work.',
          });
        } else if (kind === 'CONSUMER' && PUBLISH.test(region) && !CONSUME.test(region)) {
          findings.push({
            status: 'fail',
            message: `${label} is CONSUMER but publishes a message`,
            evidence: ev,
            fix: 'Use PRODUCER for the span that sends a message.',
          });
        } else if (
          kind !== undefined &&
          kind !== 'PRODUCER' &&
          kind !== 'INTERNAL' &&
          kind !== 'CONSUMER' &&
          PUBLISH.test(region) &&
          !OUTGOING.test(region.replace(PUBLISH, ''))
        ) {
          findings.push({
            status: 'fail',
            message: `${label} publishes a message but is ${kind}`,
            evidence: ev,
            fix: 'Use PRODUCER for the span that sends a message.',
          });
        } else if (kind === 'CLIENT' && !OUTGOING.test(region) && s.region.end - s.region.start > 0) {
          findings.push({
            status: 'warn',
            message: `${label} is CLIENT but makes no outgoing call that the check can see`,
            evidence: ev,
            fix: 'Use CLIENT only for a span that wraps a call to another service or database; INTERNAL otherwise.',
          });
        }
      }
    }
    if (findings.length > 0) return combine(ITEM, findings, '');
    if (spans === 0)
      return combine(
        ITEM,
        [
          {
            status: 'nothing-to-check',
            message: 'nothing to check: no manual spans, so no kind was chosen by hand',
            evidence: [{ note: '0 manual spans' }],
            fix: NO_SPANS_FIX,
          },
        ],
        '',
      );
    return combine(
      ITEM,
      [
        {
          status: 'pass',
          message: `the kinds of ${spans} manual spans match what they wrap`,
          evidence: [{ note: `${spans} manual spans checked` }],
        },
      ],
      '',
    );
  },
};
