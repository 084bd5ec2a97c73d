/** Where an approval came from, as the approval site recorded it. */
export interface ApprovalOrigin {
  readonly approverId: string;
  readonly at: string;
  readonly sourceIp: string;
  /** Absent on approvals recorded before the user agent was kept: such an approval matches none. */
  readonly userAgent?: string | undefined;
}

/**
 * Whether two approvals came from one device: the same source IP and the same user agent. (Not
 * proof of one person — colleagues behind one proxy with the same browser build look alike — but
 * worth a second look when four eyes are required.)
 */
export function sameDevice(
  a: Omit<ApprovalOrigin, 'approverId' | 'at'>,
  b: Omit<ApprovalOrigin, 'approverId' | 'at'>,
): boolean {
  return (
    a.userAgent !== undefined &&
    b.userAgent !== undefined &&
    a.sourceIp === b.sourceIp &&
    a.userAgent === b.userAgent
  );
}

/**
 * The approvals in the order they were made, each later one that came from the device of an
 * earlier one (by another approver) marked with `sameDeviceAs`: the ids of those earlier approvers.
 * Pure; the approvals are not changed.
 */
export function markSameDevice<T extends ApprovalOrigin>(
  approvals: readonly T[],
): (T & { sameDeviceAs?: string[] })[] {
  const ordered = [...approvals].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return ordered.map((approval, index) => {
    const { sameDeviceAs: _previous, ...rest } = approval as T & { sameDeviceAs?: string[] };
    const earlier = ordered
      .slice(0, index)
      .filter((e) => e.approverId !== approval.approverId && sameDevice(e, approval))
      .map((e) => e.approverId);
    return (earlier.length > 0 ? { ...rest, sameDeviceAs: earlier } : rest) as T & {
      sameDeviceAs?: string[];
    };
  });
}
