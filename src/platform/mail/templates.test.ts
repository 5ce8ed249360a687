import { describe, expect, it } from "vitest";
import { Invalid } from "../errors.js";
import { emailMessage, renderEmail, testEmail } from "./templates.js";

const content = {
  title: "Sign in to Sightline",
  preheader: "Your code expires in 10 minutes",
  paragraphs: [
    "Use this code to finish signing in.",
    "It works once.\nIf you did not ask for it, ignore this e-mail.",
  ],
  code: "482913",
  button: { label: "Open Sightline", url: "https://sightline.example.com/login?next=/dashboards&x=1" },
  footer: "Sent by Sightline for Acme Services",
};

describe("renderEmail", () => {
  it("escapes every piece of text in the HTML", () => {
    const { html } = renderEmail({
      ...content,
      title: "Q3 <b>report</b>",
      paragraphs: ['<script>alert("x")</script> & more', 'Tom\'s "quotes"'],
      button: { label: "<img src=x onerror=alert(1)>", url: 'https://example.com/?q="><script>' },
      footer: "<a href='javascript:alert(1)'>x</a>",
    });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>report");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<a href='javascript");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more");
    expect(html).toContain("Tom&#39;s &quot;quotes&quot;");
    expect(html).toContain("Q3 &lt;b&gt;report&lt;/b&gt;");
  });

  it("lays the content out in an inline-styled table that fits phones", () => {
    const { subject, html } = renderEmail(content);
    expect(subject).toBe("Sign in to Sightline");
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('role="presentation"');
    expect(html).toContain("@media only screen and (max-width: 620px)");
    expect(html).toContain("Your code expires in 10 minutes");
    expect(html).toContain(">482913</td>");
    expect(html).toContain('href="https://sightline.example.com/login?next=/dashboards&amp;x=1"');
    expect(html).toContain("It works once.<br>If you did not ask");
  });

  it("writes a plain-text twin with the same content, the code and the link", () => {
    const { text } = renderEmail(content);
    expect(text).toBe(
      `${[
        "Sign in to Sightline",
        "Use this code to finish signing in.",
        "It works once.\nIf you did not ask for it, ignore this e-mail.",
        "482913",
        "Open Sightline: https://sightline.example.com/login?next=/dashboards&x=1",
        "--\nSent by Sightline for Acme Services",
      ].join("\n\n")}\n`,
    );
    expect(text).not.toContain("<");
  });

  it("refuses links that are not web or mail links", () => {
    expect(() => renderEmail({ ...content, button: { label: "Go", url: "javascript:alert(1)" } })).toThrow(
      Invalid,
    );
    expect(() => renderEmail({ ...content, button: { label: "Go", url: "/relative" } })).toThrow(Invalid);
  });
});

describe("template helpers", () => {
  it("names the template and uses a subject other than the title when given", () => {
    const message = emailMessage("weekly-digest", {
      title: "Your week",
      subject: "Digest for Acme",
      paragraphs: [],
    });
    expect(message).toMatchObject({ template: "weekly-digest", subject: "Digest for Acme" });
  });

  it("builds the test e-mail for the configured transport", () => {
    const sentAt = new Date("2024-05-01T08:30:00Z");
    const outbox = testEmail({ transport: "outbox", sentAt });
    expect(outbox.template).toBe("test");
    expect(outbox.subject).toBe("Sightline test e-mail");
    expect(outbox.text).toContain("keeps e-mail in its outbox");
    expect(outbox.text).toContain("2024-05-01T08:30:00.000Z");
    expect(testEmail({ transport: "smtp", sentAt }).html).toContain("configured SMTP server");
  });
});
