// `higress-doctor tail`: being built (issue 4). Until then it says so plainly.
import { InputError } from '../sources/open.js';

export async function tailCommand(_file: string | undefined, _opts: Record<string, unknown>): Promise<number> {
  throw new InputError('tail is not available in this build yet');
}
