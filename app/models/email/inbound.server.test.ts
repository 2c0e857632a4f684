/**
 * What of an emailed reply is posted: the new text, without the quoted history and signatures
 * that English and Chinese mail clients add (Gmail, Outlook, Apple Mail, QQ Mail, Foxmail,
 * NetEase).
 */
import { describe, expect, it } from "vitest";
import { stripQuotedText, tokenOfAddress } from "./inbound.server";

describe("stripQuotedText", () => {
  it.each([
    ["Gmail in English", "Sounds good.\n\nOn Mon, Dec 7, 2026 at 9:00 AM Sarah Miller <reply+abc@example.org> wrote:\n> Earlier text\n> more", "Sounds good."],
    ["Gmail wrapping the quote line", "Sounds good.\n\nOn Mon, Dec 7, 2026 at 9:00 AM Sarah Miller <reply+abc@example.org>\nwrote:\n> Earlier text", "Sounds good."],
    ["Gmail in Chinese", "同意。\n\n在 2026年12月7日周一 09:00,Sarah Miller <reply+abc@example.org> 写道:\n> 之前的内容", "同意。"],
    ["Apple Mail in Chinese, full-width colon", "好的,下周见。\n\n在 2026年12月7日,上午9:00,李伟 <li@example.cn> 写道：\n\n> 之前的内容", "好的,下周见。"],
    ["Outlook in English", "Fine by me.\n\n-----Original Message-----\nFrom: Coal Regions Network\nSent: Monday", "Fine by me."],
    ["Outlook in Chinese", "可以。\n\n发件人: 煤炭地区网络 <no-reply@example.org>\n发送时间: 2026年12月7日 9:00\n收件人: 李伟", "可以。"],
    ["QQ Mail", "收到。\n\n------------------ 原始邮件 ------------------\n发件人: \"煤炭地区网络\"", "收到。"],
    ["a phone signature", "Yes, let us meet in Taiyuan.\n\nSent from my iPhone", "Yes, let us meet in Taiyuan."],
    ["a Chinese phone signature", "明天见。\n\n发自我的iPhone", "明天见。"],
    ["a signature separator", "See you there.\n-- \nTom Baker\nWyoming Energy Authority", "See you there."],
    ["bare quoted lines", "Agreed.\n> quoted once\n>> quoted twice", "Agreed."],
  ])("keeps only the new text from %s", (_client, body, expected) => {
    expect(stripQuotedText(body)).toBe(expected);
  });

  it("keeps several paragraphs of new text", () => {
    expect(stripQuotedText("First point.\n\nSecond point, 第二点。\n\nOn Tue, Dec 8, 2026 Li wrote:\n> x")).toBe("First point.\n\nSecond point, 第二点。");
  });
});

describe("tokenOfAddress", () => {
  it("reads the token of a reply address on our domain only, in any case", () => {
    expect(tokenOfAddress("reply+abc123-def@example.org", "example.org")).toBe("abc123-def");
    expect(tokenOfAddress("Reply+ABC123-DEF@Example.org", "example.org")).toBe("abc123-def");
    expect(tokenOfAddress("reply+abc@elsewhere.org", "example.org")).toBeNull();
    expect(tokenOfAddress("someone@example.org", "example.org")).toBeNull();
  });
});
