/**
 * Four-eyes rule: a release whose total reaches the threshold needs two different approvers,
 * any smaller one needs one.
 * @example requiredApprovals(50_000_000, 50_000_000) // 2
 */
export function requiredApprovals(releaseAmountFen: number, fourEyesThresholdFen: number): 1 | 2 {
  return releaseAmountFen >= fourEyesThresholdFen ? 2 : 1;
}
