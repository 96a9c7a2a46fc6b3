import { describe, expect, it } from 'vitest';
import { formatShortSyntax, hostPortsOfEntry, portMappings, readPortEntry, splitShortSyntax } from './port-entries.js';

describe('compose port entries', () => {
  it('reads host and container ranges pairwise, with the protocol suffix', () => {
    expect(portMappings('4317-4318:4317-4318')).toEqual([
      { container: 4317, host: 4317, protocol: 'tcp' },
      { container: 4318, host: 4318, protocol: 'tcp' },
    ]);
    expect(portMappings('6831-6832:6831-6832/udp')).toEqual([
      { container: 6831, host: 6831, protocol: 'udp' },
      { container: 6832, host: 6832, protocol: 'udp' },
    ]);
    expect(portMappings('16831-16832:6831-6832/UDP').map((m) => [m.host, m.container, m.protocol])).toEqual([
      [16831, 6831, 'udp'],
      [16832, 6832, 'udp'],
    ]);
  });

  it('reads container-only entries: a number, a port, a range (Docker picks the host ports)', () => {
    expect(portMappings(4317)).toEqual([{ container: 4317, protocol: 'tcp' }]);
    expect(portMappings('5775/udp')).toEqual([{ container: 5775, protocol: 'udp' }]);
    expect(portMappings('6831-6832/udp')).toEqual([
      { container: 6831, protocol: 'udp' },
      { container: 6832, protocol: 'udp' },
    ]);
    expect(hostPortsOfEntry('6831-6832/udp')).toEqual([]);
  });

  it('reads the host address: IPv4, IPv6 with or without brackets, and an empty host port', () => {
    expect(portMappings('127.0.0.1:4317:4317/tcp')).toEqual([
      { container: 4317, host: 4317, ip: '127.0.0.1', protocol: 'tcp' },
    ]);
    expect(portMappings('[::1]:8080:80')).toEqual([{ container: 80, host: 8080, ip: '[::1]', protocol: 'tcp' }]);
    expect(portMappings('::1:6000:6000')).toEqual([{ container: 6000, host: 6000, ip: '::1', protocol: 'tcp' }]);
    expect(portMappings('127.0.0.1:5000-5001:5000-5001')).toHaveLength(2);
    expect(portMappings('127.0.0.1::5000')).toEqual([{ container: 5000, ip: '127.0.0.1', protocol: 'tcp' }]);
  });

  it('reads a host range onto one container port: every host port is taken, the first is the mapping', () => {
    expect(hostPortsOfEntry('9000-9002:80')).toEqual([9000, 9001, 9002]);
    expect(portMappings('9000-9002:80')).toEqual([{ container: 80, host: 9000, protocol: 'tcp' }]);
  });

  it('reads the long syntax, including a published range', () => {
    expect(portMappings({ target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'tcp' })).toEqual([
      { container: 80, host: 8080, ip: '127.0.0.1', protocol: 'tcp' },
    ]);
    expect(portMappings({ target: 6831, published: 6831, protocol: 'udp' })).toEqual([
      { container: 6831, host: 6831, protocol: 'udp' },
    ]);
    expect(portMappings({ target: 80, published: '8080-8082' }).map((m) => m.host)).toEqual([8080]);
    expect(hostPortsOfEntry({ target: 80, published: '8080-8082' })).toEqual([8080, 8081, 8082]);
    expect(portMappings({ target: 4317 })).toEqual([{ container: 4317, protocol: 'tcp' }]);
  });

  it('refuses what Compose refuses', () => {
    for (const bad of [
      '',
      'abc',
      '80:80/http',
      '1-2:1-3',
      '0:80',
      '70000:80',
      '9002-9000:80',
      'localhost:80:80',
      '${PORT}:80',
      '1.2.3.4:5:6:7',
    ]) {
      expect(readPortEntry(bad), bad).toBeUndefined();
    }
    expect(readPortEntry({ published: 8080 })).toBeUndefined();
    expect(readPortEntry(['80:80'])).toBeUndefined();
  });

  it('splits and formats the short syntax as text, for rewriting the host side', () => {
    expect(splitShortSyntax('127.0.0.1:4317:4317/tcp')).toEqual({
      ip: '127.0.0.1',
      host: '4317',
      container: '4317',
      protocol: 'tcp',
    });
    expect(formatShortSyntax({ ...splitShortSyntax('127.0.0.1:4317:4317/udp')!, host: '14317' })).toBe(
      '127.0.0.1:14317:4317/udp',
    );
    expect(formatShortSyntax(splitShortSyntax('127.0.0.1::5000')!)).toBe('127.0.0.1::5000');
    expect(formatShortSyntax(splitShortSyntax('8080:80')!)).toBe('8080:80');
  });
});
