/**
 * Pieces of the small node:http services the doctor tests write (as JavaScript text): the request handler that makes a
 * SERVER span continuing the incoming traceparent with one child, and the end of the file that stops on SIGTERM and
 * listens on 127.0.0.1. Each fixture writes its own set-up above them, which is where its fault is.
 */

/** `const server = …`: a SERVER span per request (parent extracted from the headers) with a `work` child; answers 200. */
export function tracedHandler(tracer = 'tracer'): string {
  return `const server = http.createServer((req, res) => {
  const route = (req.url || '/').split('?')[0];
  const parent = api.propagation.extract(api.ROOT_CONTEXT, req.headers);
  const span = ${tracer}.startSpan('GET ' + route, { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': route } }, parent);
  const child = ${tracer}.startSpan('work', {}, api.trace.setSpan(parent, span));
  child.end();
  span.setAttribute('http.response.status_code', 200);
  span.end();
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});
`;
}

/** The end of the file: SIGTERM closes the server, awaits `stop` (e.g. `provider.shutdown()`), exits; then listen. */
export function stopAndListen(stop = 'provider.shutdown()'): string {
  return `async function shutdown() {
  server.close();
  await ${stop};
  process.exit(0);
}
process.on('SIGTERM', shutdown);
server.listen(PORT, '127.0.0.1', () => console.log('listening on ' + PORT));
`;
}
