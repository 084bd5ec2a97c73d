import { describeFaultShard } from '../support/fault-injection.ts';

/** Fault injection (test/support/fault-injection.ts) at every Task state of the ingest and dataset-ingest workflows. */
describeFaultShard('ingest');
