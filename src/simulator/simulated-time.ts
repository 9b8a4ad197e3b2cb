/** How long simulated work takes on the wall clock. */
export interface SimulatedTime {
  /**
   * The real time, in ms, of a task the scenario says takes `simulatedMs`: scaled by `latencyScale`,
   * or `fixedLatencyMs` whatever the scenario says (benchmarks).
   */
  latencyOf(simulatedMs: number): number;
}
