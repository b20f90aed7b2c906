// Jira Cloud's v3 API takes rich text only as Atlassian Document Format, never a plain string.
export interface AdfDocument {
  type: "doc";
  version: 1;
  content: AdfParagraph[];
}

interface AdfParagraph {
  type: "paragraph";
  content: Array<{ type: "text"; text: string } | { type: "hardBreak" }>;
}

/** Blank lines separate paragraphs; single line breaks stay line breaks inside a paragraph. */
export function plainTextToAdf(text: string): AdfDocument {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0)
    .map((block): AdfParagraph => ({
      type: "paragraph",
      content: block.split("\n").flatMap((line, index) => [
        ...(index > 0 ? [{ type: "hardBreak" as const }] : []),
        ...(line.length > 0 ? [{ type: "text" as const, text: line }] : []),
      ]),
    }));
  return { type: "doc", version: 1, content: paragraphs };
}
