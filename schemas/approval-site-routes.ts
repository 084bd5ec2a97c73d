/**
 * The routes of the approval site (an API Gateway HTTP API): the stack routes exactly these to the
 * approval desk's function, and the desk answers them. A link is `{site URL}{route}?t={link token}`.
 */

/** The approval page: `GET` shows the month and the form, only `POST` decides. */
export const APPROVAL_PATH = '/approval';

/** The month page (`report.html`) of a link's month, read with an approval link; `GET` only. */
export const MONTH_PAGE_PATH = '/report';
