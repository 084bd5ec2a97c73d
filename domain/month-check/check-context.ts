import { lastDayOfMonth, previousMonth } from '#schemas/month.ts';
import { ProxyRegister } from './proxy-register.ts';
import type { MonthCheckInput } from './records.ts';

/** What every rule of the month check needs besides a person's records: fixed for one evaluation. */
export interface CheckContext {
  /** The payment month, `YYYY-MM`. */
  readonly month: string;
  /** `YYYY-MM-01` of the month. */
  readonly firstDay: string;
  /** The last day of the month, `YYYY-MM-DD`. */
  readonly lastDay: string;
  /** The month before, `YYYY-MM`. */
  readonly previousMonth: string;
  readonly employedContributionBaseFen: number;
  readonly pensionIncomeFen: number;
  readonly proxyRegister: ProxyRegister;
  readonly sharedAccounts: ReadonlyMap<string, readonly string[]>;
}

/**
 * Builds the context of one evaluation.
 * @throws RangeError when `input.config.month` is not `YYYY-MM`.
 */
export function checkContext(input: MonthCheckInput): CheckContext {
  const { month } = input.config;
  return {
    month,
    firstDay: `${month}-01`,
    lastDay: lastDayOfMonth(month),
    previousMonth: previousMonth(month),
    employedContributionBaseFen: input.config.employedContributionBaseFen,
    pensionIncomeFen: input.config.pensionIncomeFen,
    proxyRegister: new ProxyRegister(input.datasets['proxy-accounts']),
    sharedAccounts: input.sharedAccounts,
  };
}
