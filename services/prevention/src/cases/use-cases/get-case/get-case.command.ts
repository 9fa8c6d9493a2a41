import type { Command } from '@safecity/security';

/**
 * What a read discloses of the case's subject.
 * - `subject`: a case worker's view; a person's or family's data with a purpose, which is then
 *   required and recorded with the read of the subject.
 * - `reference`: the subject by reference only, for other services; every case read is recorded
 *   with the purpose, which is required.
 */
export type CaseDisclosure = 'subject' | 'reference';

export interface GetCase extends Command {
  id: string;
  /** Why the caller reads (`X-Purpose`, or the request's purpose). */
  purpose?: string;
  disclosure: CaseDisclosure;
}
