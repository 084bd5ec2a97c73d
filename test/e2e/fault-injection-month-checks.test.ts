import { describeFaultShard } from '../support/fault-injection.ts';

/** Fault injection (test/support/fault-injection.ts) at every Task state of the month run's checks, up to its approval gate. */
describeFaultShard('month-checks');
