import { describe, expect, it } from 'vitest';
import { springGetRoutes } from './spring-routes.js';

describe('springGetRoutes', () => {
  it('reads GET mappings under the class prefix, and skips other methods and commented-out mappings', () => {
    const text = [
      'package demo;',
      '@RestController',
      '@RequestMapping("/api")',
      'public class Orders {',
      '  @GetMapping("/orders/{id}")',
      '  public String one() { return ""; }',
      '  @GetMapping(value = "/orders")',
      '  public String all() { return ""; }',
      '  @GetMapping',
      '  public String root() { return ""; }',
      '  @PostMapping("/orders")',
      '  public String create() { return ""; }',
      '  @RequestMapping(path = "/legacy", method = RequestMethod.GET)',
      '  public String legacy() { return ""; }',
      '  @RequestMapping(path = "/put", method = RequestMethod.PUT)',
      '  public String put() { return ""; }',
      '  // @GetMapping("/old")',
      '}',
    ].join('\n');
    expect(springGetRoutes(text)).toEqual([
      { pattern: '/api/orders/{id}', line: 5 },
      { pattern: '/api/orders', line: 7 },
      { pattern: '/api', line: 9 },
      { pattern: '/api/legacy', line: 13 },
    ]);
  });

  it('reads mappings of a class without a prefix', () => {
    expect(
      springGetRoutes('@RestController\nclass Hello {\n  @GetMapping("/hello") String hello() { return "hi"; }\n}\n'),
    ).toEqual([{ pattern: '/hello', line: 3 }]);
  });
});
