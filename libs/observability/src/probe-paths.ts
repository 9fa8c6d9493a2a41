// Shared by tracing (no span) and logging (no access log) for probe and scrape traffic. Matched
// exactly, not by suffix: `/cameras/:id/health` is a business route that must stay visible.
export function isProbePath(url: string | undefined): boolean {
  if (!url) return false;
  const path = url.split('?', 1)[0] ?? '';
  return path === '/metrics' || path === '/health' || path.startsWith('/health/');
}
