import { describe, expect, it } from 'vitest';
import { CAPPED_SEMI_SPACE_MB, LARGE_PLAN_SAMPLES, v8Host, YoungGeneration, type YoungGenerationHost } from '../../src/cli/young-generation.js';

/** V8 as the young generation sees it: flags set, a semi-space size the test moves, and checks run by hand. */
interface FakeHost extends YoungGenerationHost {
  flags: string[];
  semiSpace: number;
  checks: (() => void)[];
  collections: number;
}

function fakeHost(semiSpaceMb = 1): FakeHost {
  const host: FakeHost = {
    flags: [],
    semiSpace: semiSpaceMb,
    checks: [],
    collections: 0,
    collect: () => void host.collections++,
    setFlag: (flag) => void host.flags.push(flag),
    semiSpaceMb: () => host.semiSpace,
    every(check) {
      host.checks.push(check);
      return () => void (host.checks = host.checks.filter((c) => c !== check));
    },
  };
  return host;
}

describe('YoungGeneration', () => {
  it('holds the young generation, then lets a small plan grow it as V8 does by default', () => {
    const host = fakeHost();
    const young = new YoungGeneration(host);
    young.manage();
    young.hold();
    expect(host.flags).toEqual(['--semi-space-growth-factor=1']);
    young.sizeFor(LARGE_PLAN_SAMPLES - 1);
    expect(host.flags).toEqual(['--semi-space-growth-factor=1', '--semi-space-growth-factor=2']);
    expect(host.checks).toHaveLength(0);
  });

  it('lets a large plan double it until a check sees it at the cap, then holds it there', () => {
    const host = fakeHost();
    const young = new YoungGeneration(host);
    young.manage();
    young.hold();
    young.sizeFor(LARGE_PLAN_SAMPLES);
    expect(host.flags.at(-1)).toBe('--semi-space-growth-factor=2');
    host.semiSpace = CAPPED_SEMI_SPACE_MB / 2;
    host.checks[0]!();
    expect(host.flags.at(-1)).toBe('--semi-space-growth-factor=2');
    host.semiSpace = CAPPED_SEMI_SPACE_MB;
    host.checks[0]!();
    expect(host.flags.at(-1)).toBe('--semi-space-growth-factor=1');
    expect(host.checks).toHaveLength(0);
  });

  it('leaves a large plan whose young generation already reached the cap held where it is', () => {
    const host = fakeHost(CAPPED_SEMI_SPACE_MB * 2);
    const young = new YoungGeneration(host);
    young.manage();
    young.hold();
    young.sizeFor(10 * LARGE_PLAN_SAMPLES);
    expect(host.flags).toEqual(['--semi-space-growth-factor=1']);
    expect(host.checks).toHaveLength(0);
  });

  it('changes nothing unless the process is evalgate run (not inside another program), and stops watching when told', () => {
    const host = fakeHost();
    const young = new YoungGeneration(host);
    young.hold();
    young.sizeFor(10 * LARGE_PLAN_SAMPLES);
    expect(host.flags).toEqual([]);
    young.manage();
    young.hold();
    young.sizeFor(10 * LARGE_PLAN_SAMPLES);
    young.stop();
    expect(host.checks).toHaveLength(0);
    // Sized once: a second plan (a test calling runCommand again) changes nothing.
    young.sizeFor(1);
    expect(host.flags).toEqual(['--semi-space-growth-factor=1', '--semi-space-growth-factor=2']);
  });

  it('collects once before a large plan\'s reports, and never for a small plan or outside evalgate run', () => {
    const host = fakeHost();
    const young = new YoungGeneration(host);
    young.manage();
    young.hold();
    young.sizeFor(LARGE_PLAN_SAMPLES);
    young.beforeReports();
    young.beforeReports();
    expect(host.collections).toBe(1);
    const small = fakeHost();
    const smallRun = new YoungGeneration(small);
    smallRun.manage();
    smallRun.hold();
    smallRun.sizeFor(LARGE_PLAN_SAMPLES - 1);
    smallRun.beforeReports();
    const hosted = fakeHost();
    const inHost = new YoungGeneration(hosted);
    inHost.sizeFor(LARGE_PLAN_SAMPLES);
    inHost.beforeReports();
    expect(small.collections + hosted.collections).toBe(0);
  });

  it('collects for real through V8 without giving this context a global gc, and reads a semi-space size', () => {
    expect(() => v8Host.collect()).not.toThrow();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    expect(v8Host.semiSpaceMb()).toBeGreaterThanOrEqual(1);
  });
});
