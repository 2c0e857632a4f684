/**
 * The pieces every email is built from (React Email, docs/decisions/021-email-templates.md):
 * a layout with the network's header and a footer, headings, paragraphs, a button, quoted
 * posts. Styles are inline (most mail clients drop <style>); a small <style> block only adds a
 * dark-mode palette for the clients that honour `prefers-color-scheme`, and a narrow-screen rule.
 * No remote image, web font or tracking pixel: everything is text and CSS.
 */
import { Body, Button as EmailButton, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";

export const colours = {
  ink: "#1d2430",
  muted: "#5d6778",
  line: "#dfe3ea",
  background: "#f6f7f9",
  card: "#ffffff",
  accent: "#0f5c4d",
  accentSoft: "#e3f1ed",
  coal: "#2b2f36",
} as const;

const font = 'system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

/**
 * Dark mode for clients that support it (Apple Mail, iOS, Outlook for Mac, Thunderbird): the
 * classes repaint the light palette. Gmail and Outlook.com invert colours on their own; the
 * light palette is chosen to survive that (no text on an image, no near-white greys).
 */
const darkCss = `
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  html, .crn-body { background: #14181e !important; }
  .crn-card { background: #1d232b !important; border-color: #333b46 !important; }
  .crn-text, .crn-heading { color: #e8ecf1 !important; }
  .crn-muted { color: #a7b0bd !important; }
  .crn-link { color: #7fd1b9 !important; }
  .crn-quote { background: #232a33 !important; border-color: #7fd1b9 !important; color: #e8ecf1 !important; }
  .crn-button { background: #7fd1b9 !important; color: #0b1f1a !important; }
}
@media only screen and (max-width: 480px) {
  .crn-card { padding: 20px 16px !important; }
  .crn-outer { padding: 12px 8px !important; }
}`;

const text: CSSProperties = { color: colours.ink, fontSize: "16px", lineHeight: "1.55", margin: "0 0 14px" };

export function Layout({
  lang,
  preview,
  children,
  footer,
}: {
  lang: "en" | "zh" | "en-zh";
  preview: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  return (
    <Html lang={lang === "zh" ? "zh-CN" : "en"} dir="ltr">
      <Head>
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <style>{darkCss}</style>
      </Head>
      <Preview>{preview}</Preview>
      <Body className="crn-body" style={{ backgroundColor: colours.background, fontFamily: font, margin: 0, padding: 0 }}>
        <Container className="crn-outer" style={{ maxWidth: "600px", margin: "0 auto", padding: "24px 12px" }}>
          <Section style={{ backgroundColor: colours.coal, borderRadius: "10px 10px 0 0", padding: "14px 24px" }}>
            <Text style={{ color: "#ffffff", fontSize: "15px", fontWeight: 700, margin: 0 }}>
              <span style={{ color: "#7fd1b9" }}>◆</span> Coal Regions Network · 煤炭地区网络
            </Text>
          </Section>
          <Section className="crn-card" style={{ backgroundColor: colours.card, border: `1px solid ${colours.line}`, borderTop: "none", borderRadius: "0 0 10px 10px", padding: "28px 28px" }}>
            {children}
          </Section>
          <Section style={{ padding: "16px 8px 0" }}>{footer}</Section>
        </Container>
      </Body>
    </Html>
  );
}

export function Title({ children, lang }: { children: ReactNode; lang?: string }) {
  return (
    <Heading as="h1" className="crn-heading" lang={lang} style={{ color: colours.ink, fontSize: "22px", lineHeight: "1.3", margin: "0 0 16px" }}>
      {children}
    </Heading>
  );
}

export function Subtitle({ children, lang }: { children: ReactNode; lang?: string }) {
  return (
    <Heading as="h2" className="crn-heading" lang={lang} style={{ color: colours.ink, fontSize: "18px", lineHeight: "1.3", margin: "22px 0 10px" }}>
      {children}
    </Heading>
  );
}

export function P({ children, muted, lang, small }: { children: ReactNode; muted?: boolean; lang?: string; small?: boolean }) {
  return (
    <Text className={muted ? "crn-muted" : "crn-text"} lang={lang} style={{ ...text, ...(muted ? { color: colours.muted } : {}), ...(small ? { fontSize: "14px" } : {}) }}>
      {children}
    </Text>
  );
}

export function A({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="crn-link" style={{ color: colours.accent, textDecoration: "underline" }}>
      {children}
    </Link>
  );
}

export function Button({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Section style={{ margin: "8px 0 18px" }}>
      <EmailButton
        href={href}
        className="crn-button"
        style={{ backgroundColor: colours.accent, borderRadius: "8px", color: "#ffffff", fontSize: "16px", fontWeight: 600, padding: "12px 20px", textDecoration: "none", display: "inline-block" }}
      >
        {children}
      </EmailButton>
    </Section>
  );
}

/** The link a button leads to, spelled out for clients that show no buttons and for copying. */
export function LinkLine({ href, label }: { href: string; label: string }) {
  return (
    <Text className="crn-muted" style={{ ...text, color: colours.muted, fontSize: "13px", wordBreak: "break-all" }}>
      {label} <A href={href}>{href}</A>
    </Text>
  );
}

/** A post or comment quoted in an email: its author, when, and its text. */
export function Quote({ author, meta, children, href, lang }: { author: string; meta?: string; children: ReactNode; href?: string; lang?: string }) {
  return (
    <Section className="crn-quote" style={{ backgroundColor: colours.accentSoft, borderLeft: `4px solid ${colours.accent}`, borderRadius: "6px", padding: "12px 16px", margin: "0 0 14px" }}>
      <Text className="crn-text" style={{ ...text, fontWeight: 600, margin: "0 0 4px", fontSize: "14px" }}>
        {href ? <A href={href}>{author}</A> : author}
        {meta ? <span className="crn-muted" style={{ color: colours.muted, fontWeight: 400 }}> · {meta}</span> : null}
      </Text>
      <Text className="crn-text" lang={lang} style={{ ...text, margin: 0, whiteSpace: "pre-wrap" }}>
        {children}
      </Text>
    </Section>
  );
}

export function Rule() {
  return <Hr style={{ borderColor: colours.line, margin: "20px 0" }} />;
}

/** The footer under the card: why this email came and, for non-essential ones, how to stop it. */
export function Footer({ lines, links }: { lines: string[]; links?: { href: string; label: string }[] }) {
  return (
    <>
      {lines.map((line) => (
        <Text key={line} className="crn-muted" style={{ color: colours.muted, fontSize: "12px", lineHeight: "1.5", margin: "0 0 6px" }}>
          {line}
        </Text>
      ))}
      {links?.length ? (
        <Text className="crn-muted" style={{ color: colours.muted, fontSize: "12px", lineHeight: "1.5", margin: "0 0 6px" }}>
          {links.map((link, i) => (
            <span key={link.href}>
              {i > 0 ? " · " : ""}
              <A href={link.href}>{link.label}</A>
            </span>
          ))}
        </Text>
      ) : null}
    </>
  );
}
