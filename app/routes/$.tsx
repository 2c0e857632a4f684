/**
 * Any path no other route claims: a 404 rendered by the root error boundary, after the root
 * loader has run, so the page has the reader's header, language and session like every other.
 */
export function loader(): never {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}
