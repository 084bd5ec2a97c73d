/**
 * Turns a kebab-case name (`register-upload`, `month-run`) into PascalCase (`RegisterUpload`,
 * `MonthRun`) for construct IDs, which are part of the stack's contract and must stay stable.
 */
export function pascalCase(kebab: string): string {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(kebab)) {
    throw new Error(
      `"${kebab}" is not a kebab-case name; pass lower-case words joined by "-", e.g. "register-upload"`,
    );
  }
  return kebab
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
