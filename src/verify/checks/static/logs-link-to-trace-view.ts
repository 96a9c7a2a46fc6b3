/**
 * logs-link-to-trace-view: Grafana's Tempo (or Jaeger) datasource has tracesToLogsV2.datasourceUid set to the uid of a
 * provisioned Loki datasource, and the Loki datasource has a derived field that turns trace_id into a link to the trace
 * datasource (datasourceUid = the trace datasource's uid). Links use uids, never display names.
 */
import type { Check } from '../../check.js';
import { combine, type Finding } from './support/result.js';
import {
  asArray,
  valueAt,
  isDatasourceProvisioning,
  asRecord,
  yamlEvidence,
  yamlFiles,
} from '../../../source-reading/yaml-files.js';

const ITEM = 'logs-link-to-trace-view';

export const logsLinkToTraceView: Check = {
  itemId: ITEM,
  async run(ctx) {
    const files = (await yamlFiles(ctx)).filter(isDatasourceProvisioning);
    const all = files.flatMap((f) =>
      asArray(valueAt(f.value, 'datasources')).map((d, i) => ({ f, i, d: asRecord(d) ?? {} })),
    );
    const traces = all.filter((x) => x.d.type === 'tempo' || x.d.type === 'jaeger');
    const lokis = all.filter((x) => x.d.type === 'loki');
    if (traces.length === 0)
      return combine(
        ITEM,
        [
          {
            status: 'fail',
            message: 'no Grafana Tempo or Jaeger datasource is provisioned',
            evidence: [],
            fix: 'Provision Grafana datasources (grafana/provisioning/datasources/*.yaml) with Tempo and Loki.',
          },
        ],
        '',
      );
    const lokiUids = new Set(lokis.map((x) => String(x.d.uid ?? '')).filter(Boolean));
    const lokiNames = new Set(lokis.map((x) => String(x.d.name ?? '')));
    const findings: Finding[] = [];
    for (const t of traces) {
      const path = ['datasources', t.i, 'jsonData', 'tracesToLogsV2'];
      const uid = valueAt(t.d, 'jsonData', 'tracesToLogsV2', 'datasourceUid');
      const ev = [yamlEvidence(t.f, path)];
      if (typeof uid !== 'string' || uid === '')
        findings.push({
          status: 'fail',
          message: `${t.f.path}: ${String(t.d.name)} has no tracesToLogsV2.datasourceUid, so spans do not link to their logs`,
          evidence: ev,
          fix: 'Add jsonData.tracesToLogsV2: { datasourceUid: <loki uid>, filterByTraceID: true }.',
        });
      else if (!lokiUids.has(uid))
        findings.push({
          status: 'fail',
          message: `${t.f.path}: tracesToLogsV2.datasourceUid "${uid}" is ${lokiNames.has(uid) ? "the Loki datasource's name, not its uid" : 'not the uid of any provisioned Loki datasource'}`,
          evidence: ev,
          fix: `Use the Loki datasource's uid${lokiUids.size ? ` (${[...lokiUids].join(', ')})` : ''}.`,
        });
      else
        findings.push({
          status: 'pass',
          message: `${t.f.path}: ${String(t.d.name)} links spans to logs in Loki (${uid})`,
          evidence: ev,
        });
    }
    const traceUids = new Set(traces.map((x) => String(x.d.uid ?? '')).filter(Boolean));
    if (lokis.length === 0)
      findings.push({
        status: 'fail',
        message: 'no Loki datasource is provisioned',
        evidence: [],
        fix: 'Provision a Loki datasource with a uid.',
      });
    for (const l of lokis) {
      const fields = asArray(valueAt(l.d, 'jsonData', 'derivedFields')).map((x) => asRecord(x) ?? {});
      const ev = [yamlEvidence(l.f, ['datasources', l.i, 'jsonData'])];
      const link = fields.find((x) => typeof x.datasourceUid === 'string' && traceUids.has(x.datasourceUid));
      if (!link)
        findings.push({
          status: 'fail',
          message: `${l.f.path}: ${String(l.d.name)} has no derived field linking trace_id to the trace datasource (by uid)`,
          evidence: ev,
          fix: `Add jsonData.derivedFields: [{ name: TraceID, matcherRegex: "trace_id=(\\\\w+)", url: "$\${__value.raw}", datasourceUid: ${[...traceUids][0] ?? 'tempo'} }].`,
        });
      else
        findings.push({
          status: 'pass',
          message: `${l.f.path}: log lines link trace_id to ${String(link.datasourceUid)}`,
          evidence: ev,
        });
    }
    return combine(ITEM, findings, '');
  },
};
