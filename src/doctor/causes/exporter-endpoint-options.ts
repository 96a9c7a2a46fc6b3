/**
 * Where an exporter's endpoint is written in code: only inside an OTLP exporter's own constructor or option call —
 * `new OTLPTraceExporter({ url: '…' })` (JavaScript / TypeScript), `OTLPSpanExporter(endpoint='…')` (Python),
 * `otlptracehttp.WithEndpointURL("…")` (Go). A `url:` field anywhere else is the application's data and never an
 * exporter setting.
 */
import type { SourceFile } from '../../source-reading/code.js';

export interface ExporterOptionUrl {
  url: string;
  /** Offset of the url's text in the file. */
  index: number;
  /** The exporter uses the url as it is written (an OTLP/HTTP exporter's url option: the path is not added to it). */
  usedAsIs: boolean;
}

/** The end (exclusive) of the parenthesised argument list opening at `open` (a `(`), read on the skeleton (no strings, no comments). */
function closingParen(skeleton: string, open: number): number {
  let depth = 0;
  for (let i = open; i < skeleton.length; i++) {
    const c = skeleton[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return skeleton.length;
}

interface Pattern {
  /** The call that opens the exporter's arguments (ends with its `(`). */
  call: RegExp;
  /** The endpoint option inside the arguments; group 2 is the url. */
  option: RegExp;
  usedAsIs: (callText: string) => boolean;
}

const PATTERNS: Record<SourceFile['lang'], Pattern[]> = {
  node: [
    {
      call: /\bnew\s+OTLP(?:Trace|Span)Exporter\s*\(/g,
      option: /\burl\s*:\s*(['"`])(https?:\/\/[^'"`$\s]+)\1/g,
      usedAsIs: () => true,
    },
  ],
  python: [
    {
      call: /\bOTLPSpanExporter\s*\(/g,
      option: /\bendpoint\s*=\s*(['"])(https?:\/\/[^'"\s]+)\1/g,
      usedAsIs: () => true,
    },
  ],
  go: [
    {
      call: /\botlptrace(?:http|grpc)\.WithEndpointURL\s*\(/g,
      option: /()"(https?:\/\/[^"\s]+)"/g,
      usedAsIs: () => false,
    },
  ],
};

/** Every endpoint url written as an option of an OTLP trace exporter in this file. */
export function exporterOptionUrls(file: SourceFile): ExporterOptionUrl[] {
  const out: ExporterOptionUrl[] = [];
  for (const pattern of PATTERNS[file.lang]) {
    for (const call of file.code.matchAll(pattern.call)) {
      const open = call.index + call[0].length - 1;
      const end = closingParen(file.skeleton, open);
      const args = file.code.slice(open, end);
      for (const m of args.matchAll(pattern.option)) {
        const at = open + m.index + m[0].indexOf(m[2]!);
        out.push({ url: m[2]!, index: at, usedAsIs: pattern.usedAsIs(args) });
      }
    }
  }
  return out;
}
