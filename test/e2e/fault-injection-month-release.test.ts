import { describeFaultShard } from '../support/fault-injection.ts';

/** Fault injection (test/support/fault-injection.ts) at every Task state of the month run from its approval gate: release, close-out, hold and failure. */
describeFaultShard('month-release');
