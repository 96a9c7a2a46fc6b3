import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import { mergeMissing, parseYaml, stringifyLike } from '../../../yaml/merge.js';

export type DatasourceEdit =
  | { ok: true; changed: boolean; text: string; added: string[] }
  | { ok: false; message: string; line: number; col: number };

function datasources(doc: ReturnType<typeof parseYaml> & { ok: true }): YAMLMap[] {
  const list = doc.doc.get('datasources', true);
  return isSeq(list) ? list.items.filter(isMap) : [];
}

function field(map: YAMLMap, key: string): string | undefined {
  const value = map.get(key);
  return typeof value === 'string' ? value : undefined;
}

/** The uid of the first datasource of a type in a provisioning file, if it has one. */
export function datasourceUid(text: string | undefined, type: string): string | undefined {
  if (text === undefined) return undefined;
  const parsed = parseYaml(text);
  if (!parsed.ok) return undefined;
  return datasources(parsed)
    .map((d) => (field(d, 'type') === type ? field(d, 'uid') : undefined))
    .find(Boolean);
}

/**
 * Merges the datasources of `template` into a Grafana provisioning file, matched by type: a missing datasource is
 * appended, an existing one gets only the settings it lacks (its uid, url and the user's jsonData stay).
 */
export function mergeDatasources(current: string, template: string): DatasourceEdit {
  const parsed = parseYaml(current);
  if (!parsed.ok) return parsed;
  const source = parseYaml(template);
  if (!source.ok) throw new Error(`datasource template does not parse: ${source.message}`);
  let list = parsed.doc.get('datasources', true);
  if (!isSeq(list)) {
    parsed.doc.set('datasources', parsed.doc.createNode([]));
    list = parsed.doc.get('datasources', true);
  }
  if (!isSeq(list)) throw new Error('could not create the datasources list');
  const added: string[] = [];
  for (const wanted of datasources(source)) {
    const type = field(wanted, 'type');
    const have = list.items.find((d): d is YAMLMap => isMap(d) && field(d, 'type') === type);
    if (!have) {
      list.items.push(wanted.clone());
      added.push(`${type}`);
    } else {
      added.push(...mergeMissing(have, wanted).map((path) => `${type}.${path}`));
    }
  }
  // Keep apiVersion first if the file lacked one.
  if (!parsed.doc.has('apiVersion')) {
    const version = source.doc.get('apiVersion', true);
    if (isScalar(version) && isMap(parsed.doc.contents))
      (parsed.doc.contents as YAMLMap).items.unshift(parsed.doc.createPair('apiVersion', version.value) as never);
  }
  if (added.length === 0) return { ok: true, changed: false, text: current, added };
  return { ok: true, changed: true, text: stringifyLike(parsed.doc, current), added };
}
