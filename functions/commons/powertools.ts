import { Logger } from '@aws-lambda-powertools/logger';

/** One logger per function; the service name comes from POWERTOOLS_SERVICE_NAME. ID numbers are never logged. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'payguard' });
