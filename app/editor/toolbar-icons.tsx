/** Toolbar icons shared by the rich editors (SVG: no icon font, no emoji glyphs to go missing). */
import type { ReactNode } from "react";

export function Svg({ children }: { children: ReactNode }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" focusable="false">
      {children}
    </svg>
  );
}

export function LinkIcon() {
  return (
    <Svg>
      <path d="M10 13a5 5 0 0 0 7.54.54l3-3a5 5 0 0 0-7.07-7.07l-1.72 1.71" />
      <path d="M14 11a5 5 0 0 0-7.54-.54l-3 3a5 5 0 0 0 7.07 7.07l1.71-1.71" />
    </Svg>
  );
}

export function ImageIcon() {
  return (
    <Svg>
      <rect x="3" y="3" width="18" height="18" rx="2" />
      <circle cx="8.5" cy="8.5" r="1.5" />
      <path d="M21 15l-5-5L5 21" />
    </Svg>
  );
}

export function BulletIcon() {
  return (
    <Svg>
      <path d="M9 6h12M9 12h12M9 18h12" />
      <circle cx="4" cy="6" r="1" fill="currentColor" />
      <circle cx="4" cy="12" r="1" fill="currentColor" />
      <circle cx="4" cy="18" r="1" fill="currentColor" />
    </Svg>
  );
}

export function OrderedIcon() {
  return (
    <Svg>
      <path d="M10 6h11M10 12h11M10 18h11" />
      <path d="M4 4v4M3 20h3l-3-3.5a1.5 1.5 0 1 1 3-1" strokeWidth="1.5" />
      <path d="M3 12h2" strokeWidth="1.5" />
    </Svg>
  );
}

export function QuoteIcon() {
  return (
    <Svg>
      <path d="M7 7H4v5h3v-1a4 4 0 0 1-3 4M17 7h-3v5h3v-1a4 4 0 0 1-3 4" />
    </Svg>
  );
}
