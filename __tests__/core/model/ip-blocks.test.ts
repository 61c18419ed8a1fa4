import { ipBlockMayHoldClusterAddresses } from '../../../lib/core/model';

describe('ipBlocks and cluster addresses', () => {
  const may = (cidr: string, except: string[] = []) => ipBlockMayHoldClusterAddresses({ cidr, except });

  test('GIVEN a block that overlaps a private, shared or link-local range THEN it may hold cluster addresses', () => {
    expect(may('0.0.0.0/0')).toBe(true);
    expect(may('10.244.0.0/16')).toBe(true);
    expect(may('172.20.0.0/14')).toBe(true);
    expect(may('100.64.0.0/10')).toBe(true);
    expect(may('169.254.20.10/32')).toBe(true);
    expect(may('0.0.0.0/0', ['169.254.169.254/32'])).toBe(true);
  });

  test('GIVEN a block outside those ranges, or one whose except blocks cover them THEN it may not', () => {
    expect(may('8.8.8.8/32')).toBe(false);
    expect(may('203.0.113.0/24')).toBe(false);
    expect(may('0.0.0.0/0', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'])).toBe(false);
    expect(may('10.0.0.0/8', ['10.0.0.0/9', '10.128.0.0/9'])).toBe(false);
    expect(may('10.0.0.0/8', ['10.0.0.0/9'])).toBe(true);
  });

  test('GIVEN an IPv6 block or one that cannot be read THEN it may: nothing is known of it', () => {
    expect(may('::/0')).toBe(true);
    expect(may('fd00::/8')).toBe(true);
    expect(may('10.0.0.300/8')).toBe(true);
  });
});
