import type { Rejection, RejectionCode } from './types.ts';

export function reject(code: RejectionCode, message: string): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { code, message } };
}
