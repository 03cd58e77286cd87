/** `1234567` → `1 234 567 SEK` (plain spaces, so messages compare equal in tests and logs). */
export function formatSek(n: number): string {
  const sign = n < 0 ? '-' : '';
  return `${sign}${String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} SEK`;
}
