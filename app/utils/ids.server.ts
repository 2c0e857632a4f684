/** Opaque ids for every row: cuid2 (collision-resistant, not guessable, not sequential). */
import { createId } from "@paralleldrive/cuid2";

export const newId = (): string => createId();
