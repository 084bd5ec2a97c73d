import { DESK_ROUTES } from '#schemas/desk-site-routes.ts';

/** The desk links in an e-mail's text (`{site}/desk/open?t=…`). */
export function deskLinks(text: string): string[] {
  const path = DESK_ROUTES.open.replaceAll('/', '\\/');
  return [...text.matchAll(new RegExp(`https?:\\/\\/[^\\s]+${path}\\?t=[A-Za-z0-9._~-]+`, 'g'))].map(
    (m) => m[0],
  );
}
