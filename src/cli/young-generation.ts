import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Planned samples from which `evalgate run` keeps V8's young generation small. Below it the young
 * generation grows as V8 chooses (to 2 × 16 MB); from it, to {@link CAPPED_SEMI_SPACE_MB} per half.
 */
export const LARGE_PLAN_SAMPLES = 20_000;

/** A semi-space (half of the young generation) of a large plan's run, in MB. */
export const CAPPED_SEMI_SPACE_MB = 4;

/** What sizing the young generation needs of V8: its flags and the young generation's committed size. */
export interface YoungGenerationHost {
  setFlag(flag: string): void;
  /** The young generation's semi-space, in whole MB (what V8's `new_space` can hold: one semi-space). */
  semiSpaceMb(): number;
  /** Calls `check` every few milliseconds until the returned function is called; never keeps the process alive. */
  every(check: () => void): () => void;
  /** A full garbage collection, now. */
  collect(): void;
}

export const v8Host: YoungGenerationHost = {
  setFlag: setFlagsFromString,
  semiSpaceMb() {
    const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    // Used and available: the semi-space less a few KB of page headers (1 MB reads 0.98 MB).
    return space ? Math.round((space.space_used_size + space.space_available_size) / 2 ** 20) : 0;
  },
  every(check) {
    const timer = setInterval(check, 20);
    timer.unref();
    return () => clearInterval(timer);
  },
  collect() {
    // V8's gc() exists only with --expose-gc; set now, it is given to contexts made after (as Jest's
    // leak detection does): this one's global never has it.
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  },
};

/**
 * V8's young generation (the semi-spaces where new objects live until they survive two scavenges) can
 * only be given a maximum on the command line (`--max-semi-space-size`): at run time V8 ignores it.
 * What it does read at run time is the factor by which it grows the young generation, each time more
 * survived than it holds: at 1 it never grows. `evalgate run` holds it where it is once its modules
 * are loaded (2 × 4 MB at most), before the suites are, and as it starts sending lets it grow: as V8 chooses
 * for a plan below {@link LARGE_PLAN_SAMPLES} samples, to {@link CAPPED_SEMI_SPACE_MB} MB a half for a
 * larger one (docs/performance.md, "Memory": 32 MB of a 100,000-sample run's peak RSS was a young
 * generation of 2 × 16 MB; at 2 × 4 MB the CPU of runs up to 20,000 samples did not change).
 */
export class YoungGeneration {
  private managed = false;
  private held = false;
  private large = false;
  private stopWatching: (() => void) | undefined;

  constructor(private readonly host: YoungGenerationHost = v8Host) {}

  /** This process is evalgate's own `run` (main.ts): {@link hold} and {@link sizeFor} act; otherwise (tests, a library's host) they change nothing. */
  manage(): void {
    this.managed = true;
  }

  /**
   * Keeps the young generation at the size it has until {@link sizeFor}: called once the modules are
   * loaded, before the suites are (while modules load, survivors are many and a young generation held
   * at 2 × 1 MB cost 0.15-0.2 s of CPU a run; by then it has grown as by default, to 2 × 4 MB or less).
   */
  hold(): void {
    if (!this.managed) return;
    this.managed = false;
    this.host.setFlag('--semi-space-growth-factor=1');
    this.held = true;
  }

  /**
   * When the run starts sending (runCommand calls it on `onRunStarted`), the young generation grows
   * again as by default (doubling), and for a large plan is held again from the first check (every
   * 20 ms) that sees it at the cap. A check cannot run inside a long synchronous stretch: called right
   * after planning, the run's estimate (0.7 s at 25,000 trials) doubled it from 1 to 8 MB unseen, and
   * one step of 4× went on to 16 MB in one run of two. One at or past the cap already stays as it is (V8
   * does not shrink it while the run allocates). Without {@link hold} first it changes nothing; it
   * sizes once.
   */
  sizeFor(plannedSamples: number): void {
    if (!this.held) return;
    this.held = false;
    const large = plannedSamples >= LARGE_PLAN_SAMPLES;
    this.large = large;
    if (large && this.host.semiSpaceMb() >= CAPPED_SEMI_SPACE_MB) return;
    this.host.setFlag('--semi-space-growth-factor=2');
    if (!large) return;
    this.stopWatching = this.host.every(() => {
      if (this.host.semiSpaceMb() < CAPPED_SEMI_SPACE_MB) return;
      this.host.setFlag('--semi-space-growth-factor=1');
      this.stop();
    });
  }

  /**
   * Between a large plan's run and its reports (runCommand, once the plan is garbage): one full
   * collection, 40-50 ms at 100,000 samples. The old generation still holds the run's promoted records
   * and its plan until V8 collects it by itself, by which time the reports have read results.jsonl
   * into it: 118.8, 123.7, 123.0 MB without it, 117.2, 119.8, 121.9 MB with it (alternated).
   */
  beforeReports(): void {
    if (!this.large) return;
    this.large = false;
    this.host.collect();
  }

  /** Stops watching (the run is over). */
  stop(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
  }
}

/** The process's young generation: main.ts says that it is evalgate's `run`; runCommand holds it and sizes it for its plan. */
export const youngGeneration = new YoungGeneration();
