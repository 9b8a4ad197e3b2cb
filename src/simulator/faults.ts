import { FAULT_KINDS, type FaultKind, type Faults } from '../config/simulator-faults.js';

/** The fault for a request whose draw is `u` in [0, 1), or undefined for a normal answer. */
export function drawFault(faults: Faults, u: number): FaultKind | undefined {
  let edge = 0;
  for (const kind of FAULT_KINDS) {
    edge += faults[kind];
    if (u < edge) return kind;
  }
  return undefined;
}

