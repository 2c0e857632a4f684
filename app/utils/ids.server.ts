/** Opaque ids for every row: cuid2 (collision-resistant, not guessable, not sequential). */
import { randomUUID } from "node:crypto";
import { createId } from "@paralleldrive/cuid2";

export const newId = (): string => createId();

/**
 * A form's idempotency key (the `idempotencyKey` a post is sent with, 36 characters): random,
 * never a row's id, so the platform's RNG is enough — cuid2's hashing cost ≈ 0.5 ms on every
 * thread and case-study page view.
 */
export const newFormKey = (): string => randomUUID();
