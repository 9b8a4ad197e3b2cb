import type { Clock } from '../../src/run/clock.js';

/** A clock whose sleeps return at once and advance its time; it records every wait. */
export class FakeClock implements Clock {
  private time = 0;
  readonly sleeps: number[] = [];

  constructor(private readonly draw: () => number = () => 0.5) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }

  random(): number {
    return this.draw();
  }
}
