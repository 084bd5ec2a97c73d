import { describeFaultShard } from '../support/fault-injection.ts';

/** Fault injection (test/support/fault-injection.ts) at every Task state of the bank-returns and month-watch workflows. */
describeFaultShard('after-release');
