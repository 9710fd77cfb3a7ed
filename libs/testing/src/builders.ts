import { randomUUID } from 'node:crypto';

/** Unique per call, so tests never collide on a database that is not emptied between them. */
export function uniqueEmail(tag = 'user'): string {
  return `${tag}+${randomUUID().slice(0, 12)}@example.test`;
}

let phoneCounter = Math.floor(Math.random() * 9000);

/** A valid Swedish mobile number in E.164, different for each call in a run. */
export function uniqueSwedishMobile(): string {
  phoneCounter = (phoneCounter + 1) % 10_000;
  const tail = String(Date.now() % 100_000).padStart(5, '0') + String(phoneCounter).padStart(4, '0');
  return `+4670${tail.slice(-7)}`;
}
