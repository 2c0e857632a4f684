/**
 * Password hashing with argon2id at the OWASP minimum (19 MiB memory, 2 iterations, 1 lane;
 * OWASP Password Storage Cheat Sheet), and the password rules: at least 10 characters and not
 * on a short list of the most common passwords.
 */
import { hash, verify } from "@node-rs/argon2";
import { AppError } from "./errors";

const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 /* Argon2id */ } as const;

export const MIN_PASSWORD_LENGTH = 10;

/** The most common passwords of at least 10 characters (from public breach-frequency lists). */
const COMMON_PASSWORDS = new Set([
  "1234567890", "0123456789", "1234567891", "qwertyuiop", "1q2w3e4r5t", "password12", "password123",
  "password1234", "qwerty1234", "qwerty12345", "123456789a", "iloveyou12", "abcdefghij", "0987654321",
  "1111111111", "0000000000", "aaaaaaaaaa", "1qaz2wsx3edc", "passw0rd12", "welcome123", "administrator",
  "letmein123", "football12", "baseball12", "sunshine12", "princess12", "monkey1234", "zaq12wsxcde",
  "asdfghjkl1", "qwertyuiop1", "1234qwerasdf", "password!1", "changeme123", "superman12", "trustno1234",
]);

/**
 * @throws AppError("password_too_short" | "password_too_common")
 */
export function assertPasswordAcceptable(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError("password_too_short", "Password too short", "password");
  if (COMMON_PASSWORDS.has(password.toLowerCase())) throw new AppError("password_too_common", "Password too common", "password");
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

/**
 * A hash of a random password with the same settings, made once when this module loads (so the
 * first unknown email does not also pay for hashing). Caught so an unused promise never rejects
 * unhandled.
 */
const dummyHash: Promise<string> = hashPassword(`dummy-${Math.random()}-${Date.now()}`).catch(() => "");

/**
 * Verifies against the dummy hash so that an unknown email costs the same time as a wrong
 * password (no account enumeration by timing; OWASP Authentication Cheat Sheet).
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await dummyHash, password);
  return false;
}
