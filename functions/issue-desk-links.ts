import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy from '@middy/core';
import { IssueDeskLinksInputSchema } from '#schemas/desk-links.ts';
import { issueDeskLinks, revokeDeskLink } from '#usecases/issue-desk-links.ts';
import {
  approvalBaseUrl,
  auditTrail,
  contacts,
  deskStore,
  linkKeys,
  notifier,
} from './commons/dependencies.ts';
import { logger } from './commons/powertools.ts';

/**
 * IssueDeskLinks (invoked by the bureau; locally by the CLI): e-mails each town office its
 * personal desk link for a month, or revokes one link. Returns who got which link id, never a token.
 */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(parser({ schema: IssueDeskLinksInputSchema }))
  .handler(async (input) => {
    const now = () => new Date();
    if ('revoke' in input) {
      const revoked = await revokeDeskLink(
        { linkId: input.revoke, by: input.by },
        { desk: deskStore(), audit: auditTrail(), now },
      );
      logger.info('desk link revoked', { linkId: input.revoke, revoked });
      return { revoked };
    }
    const issued = await issueDeskLinks(input, {
      desk: deskStore(),
      notifier: notifier(),
      audit: auditTrail(),
      contacts: contacts(),
      keys: await linkKeys(),
      baseUrl: approvalBaseUrl(),
      now,
    });
    logger.info('desk links issued', { month: input.month, towns: issued.map((l) => l.town) });
    return { issued };
  });
