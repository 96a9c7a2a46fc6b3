/**
 * pitfall-high-cardinality: span names are grouping keys (span metrics, service graphs, the trace UI's operation list);
 * a name built from ids or URLs makes each request its own operation. Names must be constants or route templates.
 * Request bodies, secrets and personal data (emails, passwords, tokens) must not be recorded as attributes. Ids as
 * attribute values are fine. Tempo span-metric dimensions must not be id-like either.
 */
import type { Check } from '../../check.js';
import { evidence } from '../../../source-reading/code.js';
import { combine, type Finding } from './support/result.js';
import { checkedServices, serviceSources } from '../../../source-reading/repo-files.js';
import { serviceSpanStarts } from '../../../source-reading/spans.js';
import { asArray, valueAt, isTempoConfig, yamlEvidence, yamlFiles } from '../../../source-reading/yaml-files.js';

const ITEM = 'pitfall-high-cardinality';

const RAW_URL =
  /\b(?:req|request|r|c\.Request)\s*\.\s*(?:url|originalUrl|path|URL|full_path|base_url)\b|\bURL\.(?:String|Path)\b|fmt\.Sprint/;
const SENSITIVE_KEY =
  /(?:^|[._])(?:email|e_mail|password|passwd|secret|token|api_?key|authorization|cookie|ssn|credit_?card|card_?number|phone|body|payload)$/i;
const BODY_VALUE =
  /\b(?:req\.body|request\.(?:get_json|json|data|body|form)\b|JSON\.stringify\s*\(\s*req\.body|c\.Request\.Body|ShouldBindJSON|io\.ReadAll\s*\(\s*r\.Body|\.headers\s*\[\s*['"]authorization)/i;
const ID_DIMENSION = /(?:^|[._])(?:id|uuid|user|email|session|request_id|trace_id|order_id|customer)$/i;

export const pitfallHighCardinality: Check = {
  itemId: ITEM,
  async run(ctx) {
    const findings: Finding[] = [];
    let names = 0;
    let attrs = 0;
    for (const service of checkedServices(ctx)) {
      const sources = await serviceSources(ctx, service);
      for (const s of serviceSpanStarts(sources)) {
        names++;
        const expr = s.nameExpr.trim();
        const dynamic =
          s.name === undefined &&
          expr !== '' &&
          (/\$\{|^f['"]|%[sdv]|\+|\.format\(|Sprintf|Sprint\(/.test(expr) || RAW_URL.test(expr));
        if (dynamic) {
          findings.push({
            status: 'fail',
            message: `${s.file.path}: span name ${expr} is built from request data, so every value becomes its own operation`,
            evidence: [evidence(s.file, s.index)],
            fix: 'Use a constant name (or the route template, e.g. "GET /orders/:id") and put the id in an attribute such as app.order.id.',
          });
        }
      }
      for (const f of sources) {
        const re =
          /\b(?:setAttribute|set_attribute|attribute\.(?:String|Int|Int64|Bool|Float64|StringSlice)|semconv\.\w+)\s*\(\s*(['"`])([^'"`]+)\1\s*,\s*([^)\n]*)/g;
        for (const m of f.code.matchAll(re)) {
          attrs++;
          const key = m[2]!;
          const value = m[3]!;
          if (SENSITIVE_KEY.test(key) || BODY_VALUE.test(value)) {
            findings.push({
              status: 'fail',
              message: `${f.path}: attribute ${key} records ${BODY_VALUE.test(value) ? 'a request body' : 'personal or secret data'}`,
              evidence: [evidence(f, m.index)],
              fix: 'Record a bounded business attribute (app.order.id, app.cart.items) instead; never bodies, credentials or personal data.',
            });
          }
        }
      }
    }
    for (const y of (await yamlFiles(ctx)).filter(isTempoConfig)) {
      const dims = [
        ...asArray(valueAt(y.value, 'metrics_generator', 'processor', 'span_metrics', 'dimensions')),
        ...asArray(
          valueAt(y.value, 'overrides', 'defaults', 'metrics_generator', 'processor', 'span_metrics', 'dimensions'),
        ),
      ];
      const bad = dims.filter((d) => typeof d === 'string' && ID_DIMENSION.test(d));
      if (bad.length > 0)
        findings.push({
          status: 'fail',
          message: `${y.path}: span-metric dimensions ${bad.join(', ')} are unbounded: one series per value`,
          evidence: [yamlEvidence(y, ['metrics_generator', 'processor', 'span_metrics', 'dimensions'])],
          fix: 'Keep ids out of span-metric dimensions; use low-cardinality attributes (route, status, tier).',
        });
    }
    if (findings.length > 0) return combine(ITEM, findings, '');
    if (names === 0 && attrs === 0)
      return combine(
        ITEM,
        [
          {
            status: 'nothing-to-check',
            message: 'nothing to check in the code: no manual span names and no attributes set by hand',
            evidence: [{ note: '0 span names, 0 attributes' }],
          },
        ],
        '',
      );
    return combine(
      ITEM,
      [
        {
          status: 'pass',
          message: `${names} span names are constant and ${attrs} attributes record no bodies or personal data`,
          evidence: [{ note: `${names} span names, ${attrs} attributes checked` }],
        },
      ],
      '',
    );
  },
};
