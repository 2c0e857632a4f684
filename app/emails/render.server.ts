/**
 * Renders an email component to its two parts: HTML (React Email, inline styles) and plain
 * text (React Email's html-to-text pass over the same markup, so both parts say the same;
 * headings keep their case, links are spelled out after their text).
 */
import { plainTextSelectors, render } from "@react-email/render";
import type { ReactElement } from "react";

export interface RenderedParts {
  html: string;
  text: string;
}

const selectors = [
  ...plainTextSelectors,
  { selector: "h1", options: { uppercase: false } },
  { selector: "h2", options: { uppercase: false } },
];

export async function renderParts(element: ReactElement): Promise<RenderedParts> {
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true, htmlToTextOptions: { selectors } })]);
  return { html, text };
}
