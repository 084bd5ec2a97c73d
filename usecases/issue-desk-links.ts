import { type LinkKeys, newLinkId, signLinkToken } from '#domain/approval/link-token.ts';
import type { Contacts } from '#schemas/contacts.ts';
import { DESK_ROUTES } from '#schemas/desk-site-routes.ts';
import type { DeskStore } from './desk-ports.ts';
import type { AuditTrail, Notifier } from './ports.ts';

/** How long a desk link lives unless asked otherwise; never beyond the key rotation's reach (168 h). */
export const DESK_LINK_HOURS = 72;
const MAX_LINK_HOURS = 168;

/** What {@link issueDeskLinks} needs. */
export interface IssueDeskLinksDeps {
  readonly desk: DeskStore;
  readonly notifier: Notifier;
  readonly audit: AuditTrail;
  readonly contacts: Pick<Contacts, 'towns'>;
  readonly keys: LinkKeys;
  readonly baseUrl: string;
  readonly now: () => Date;
}

/** One link issued: to whom, which link, until when (the token itself only goes in the e-mail). */
export interface IssuedDeskLink {
  readonly town: string;
  readonly officerEmail: string;
  readonly linkId: string;
  readonly expiresAt: string;
}

/** The towns named that have no office address in the contacts. */
export class UnknownTownError extends Error {
  override readonly name = 'UnknownTownError';
}

/**
 * Issues a personal desk link for the month to each town office (every office of the contacts,
 * or the towns named) and e-mails it to the office's officer: stored first (one random link id,
 * its town, officer and expiry), signed with the current link key, audited. The link opens the
 * desk once.
 * @throws UnknownTownError when a town named has no office address.
 */
export async function issueDeskLinks(
  input: { month: string; towns?: readonly string[]; hours?: number; by: string },
  deps: IssueDeskLinksDeps,
): Promise<IssuedDeskLink[]> {
  const towns = input.towns ?? Object.keys(deps.contacts.towns).sort();
  const unknown = towns.filter((town) => deps.contacts.towns[town] === undefined);
  if (unknown.length > 0) {
    throw new UnknownTownError(`no town office address for ${unknown.join(', ')} in the contacts' towns`);
  }
  const hours = Math.min(Math.max(input.hours ?? DESK_LINK_HOURS, 1), MAX_LINK_HOURS);
  const issued: IssuedDeskLink[] = [];
  for (const town of towns) {
    const officerEmail = deps.contacts.towns[town] as string;
    const now = deps.now();
    const at = now.toISOString();
    const expiresAt = Math.floor(now.getTime() / 1000) + hours * 3600;
    const linkId = newLinkId();
    await deps.desk.putLink({
      linkId,
      month: input.month,
      town,
      officerEmail,
      expiresAt,
      issuedAt: at,
      issuedBy: input.by,
    });
    const url = `${deps.baseUrl}${DESK_ROUTES.open}?t=${signLinkToken({ linkId, expiresAt }, deps.keys.current)}`;
    const until = new Date(expiresAt * 1000).toISOString();
    await deps.notifier.send({
      to: [officerEmail],
      subject: `[payguard] ${input.month} 乡镇办事台链接 / town desk link: ${town}`,
      text: [
        `${input.month} ${town} 的办事台个人链接（只能打开一次，${until} 前有效）：`,
        `Your personal town desk link for ${input.month} (opens the desk once, valid until ${until}):`,
        '',
        url,
        '',
        '在办事台可上传本月名册、查看校验结果和与上月的对比。请勿转发此邮件。',
        "On the desk you upload the month's roster and see its check and the comparison with last month. Do not forward this e-mail.",
      ].join('\n'),
    });
    await deps.audit.append({
      month: input.month,
      action: 'DESK_LINK_ISSUED',
      actor: input.by,
      at,
      subject: `desk ${town}`,
      details: { town, officerEmail, linkId, expiresAt: until },
    });
    issued.push({ town, officerEmail, linkId, expiresAt: until });
  }
  return issued;
}

/**
 * Revokes a desk link: it no longer opens the desk, and a session it opened ends at its next
 * request. Audited.
 * @returns false when there is no such link.
 */
export async function revokeDeskLink(
  input: { linkId: string; by: string },
  deps: Pick<IssueDeskLinksDeps, 'desk' | 'audit' | 'now'>,
): Promise<boolean> {
  const link = await deps.desk.getLink(input.linkId);
  if (link === undefined) return false;
  const at = deps.now().toISOString();
  if (!(await deps.desk.revokeLink(input.linkId, at, input.by))) return false;
  await deps.audit.append({
    month: link.month,
    action: 'DESK_LINK_REVOKED',
    actor: input.by,
    at,
    subject: `desk ${link.town}`,
    details: { town: link.town, linkId: link.linkId },
  });
  return true;
}
