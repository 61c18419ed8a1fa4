import { NodePortRange } from '../../../lib/core/node-port-range';
import { NodePortClaims } from '../../../lib/core/model';

describe('node ports', () => {
  test('GIVEN the default range THEN it is the API server\'s 30000-32767, and the claims use that one object', () => {
    expect(`${NodePortRange.DEFAULT}`).toBe('30000-32767');
    expect([29999, 30000, 32767, 32768, 30000.5].map(p => NodePortRange.DEFAULT.includes(p))).toEqual([false, true, true, false, false]);
    expect(new NodePortClaims<string>().range).toBe(NodePortRange.DEFAULT);
  });

  test('GIVEN a port outside the range THEN the claim says so and names the range', () => {
    const claims = new NodePortClaims<string>();
    expect(claims.claim(8080, 'a')).toEqual({ problem: 'out-of-range', range: NodePortRange.DEFAULT });
  });

  test('GIVEN a cluster with another range THEN its ports are the ones accepted', () => {
    const claims = new NodePortClaims<string>(NodePortRange.of(20000, 20100));
    expect(claims.claim(20050, 'a')).toBeUndefined();
    expect(claims.claim(30000, 'b')?.problem).toBe('out-of-range');
  });

  test('GIVEN one port claimed twice THEN the second claim names the first owner, who keeps it', () => {
    const claims = new NodePortClaims<string>();
    expect(claims.claim(31000, 'a')).toBeUndefined();
    expect(claims.claim(31000, 'b')).toEqual({ problem: 'taken', by: 'a' });
    expect(claims.claim(31000, 'c')).toEqual({ problem: 'taken', by: 'a' });
  });

  test('GIVEN one owner claiming a port for TCP and UDP THEN both are granted, and a second TCP claim is a repeat', () => {
    const claims = new NodePortClaims<string>();
    expect(claims.claim(30053, 'dns', 'TCP')).toBeUndefined();
    expect(claims.claim(30053, 'dns', 'UDP')).toBeUndefined();
    expect(claims.claim(30053, 'dns', 'TCP')).toEqual({ problem: 'repeated', protocol: 'TCP' });
    expect(claims.claim(30053, 'other', 'SCTP')).toEqual({ problem: 'taken', by: 'dns' });
  });
});
