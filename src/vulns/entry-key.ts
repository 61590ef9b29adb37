/** A library entry's match key: a scanner check when there is one, else the lower-case name. */
export function entryKey(scanner: string | null | undefined, checkId: string | null | undefined, name: string): string {
  return scanner && checkId ? `${scanner}:${checkId}` : `name:${name.trim().toLowerCase()}`;
}
