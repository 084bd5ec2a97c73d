/** The embedded stack's data bucket. */
export const BUCKET = 'payguard-data';
/** The stand-ins' temporary folders: the id of the process that made each is in its name. */
export const STACK_FOLDER_PREFIX = 'payguard-s3-';
export const STACK_FOLDER = /^payguard-s3-(\d+)-/;
