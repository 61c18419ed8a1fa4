// The load tier's record (__tests__/e2e/support/load.ts), offline: its figures and how it is
// written into docs/reliability.md, whose other sections are written by hand.
import * as fs from 'fs';
import * as path from 'path';
import { BEGIN, END, Figures, Hit, failureCounts, p99Ms, renderRecord, succeeded, voterOf, writeRecord } from './e2e/support/load';
import { tempDir } from './support/tmp';

const ROOT = path.resolve(__dirname, '..');

const hit = (over: Partial<Hit>): Hit => ({ code: 200, latency: 1e6, error: '', method: 'GET', url: 'http://10.250.0.11:31000/', timestamp: '', ...over });

const figures: Figures = {
  scenario: 'rolling update of vote and result', goal: '0 failed GETs, 0 votes lost', met: true, seconds: 28,
  gets: { sent: 800, failed: 0, p99Ms: 120 },
  votes: { sent: 140, failed: 0, p99Ms: 300, accepted: 140, counted: 140, lost: 0 },
  via: ['vote via node port 10.250.0.11'], load: [2.5, 3], notes: [],
};

describe('the figures of a stream', () => {
  test('GIVEN an HTTP error, a refused connection and a success THEN two failed, each with its reason and endpoint', () => {
    const hits = [
      hit({ code: 500, method: 'POST', url: 'http://10.250.0.11:31000/?voter=redis-3' }),
      hit({ code: 0, error: 'Get "http://10.250.0.12:31001/": dial tcp 0.0.0.0:0->10.250.0.12:31001: connect: connection refused', url: 'http://10.250.0.12:31001/' }),
      hit({}),
    ];
    expect(hits.map(succeeded)).toEqual([false, false, true]);
    expect(failureCounts(hits, [
      { service: 'vote', via: 'node port 10.250.0.11', url: 'http://10.250.0.11:31000/' },
      { service: 'result', via: 'node port 10.250.0.12', url: 'http://10.250.0.12:31001/' },
    ])).toEqual({
      'POST vote via node port 10.250.0.11: HTTP 500': 1,
      'GET result via node port 10.250.0.12: connection refused': 1,
    });
    expect(voterOf(hits[0])).toBe('redis-3');
  });

  test('GIVEN 100 latencies of 1..100 ms THEN p99 is 99 ms (nearest rank)', () => {
    expect(p99Ms(Array.from({ length: 100 }, (_, i) => hit({ latency: (i + 1) * 1e6 })))).toBe(99);
    expect(p99Ms([])).toBe(0);
  });
});

describe('the record in docs/reliability.md', () => {
  test('GIVEN no file THEN it is created with the record between the markers', () => {
    const file = path.join(tempDir('load-record-'), 'reliability.md');
    writeRecord(file, 'R1');
    expect(fs.readFileSync(file, 'utf8')).toBe(`# Reliability\n\n${BEGIN}\nR1\n${END}\n`);
  });

  test('GIVEN a file with sections written by hand THEN the record is appended, and a later one replaces it alone', () => {
    const file = path.join(tempDir('load-record-'), 'reliability.md');
    fs.writeFileSync(file, '# Reliability\n\n## Zero-downtime defaults\n\nBy hand.\n');
    writeRecord(file, 'R1');
    fs.appendFileSync(file, '\n## Later, by hand\n');
    writeRecord(file, 'R2');
    expect(fs.readFileSync(file, 'utf8')).toBe(`# Reliability\n\n## Zero-downtime defaults\n\nBy hand.\n\n${BEGIN}\nR2\n${END}\n\n## Later, by hand\n`);
  });

  test('GIVEN figures THEN the record is dated, describes the machine and has a row per scenario', () => {
    const text = renderRecord([figures], { root: ROOT, rates: 'GETs at 30/s and votes at 5/s', date: new Date('2026-12-06T18:00:00.5Z') });
    expect(text).toContain('Recorded 2026-12-06T18:00:00Z');
    expect(text).toMatch(/ GiB, Linux /);
    expect(text).toContain('| rolling update of vote and result | 28 | 800 | 0 | 120 | 140 | 0 | 300 | 140 | 140 | 0 | 2.5 → 3.0 | 0 failed GETs, 0 votes lost: met |');
    expect(text.replace(/\n/g, ' ')).toContain('through vote via node port 10.250.0.11 (the Services had no LoadBalancer address).');
  });
});
