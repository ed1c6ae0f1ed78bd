/**
 * A customer's text as they wrote it: a text node, never markup, with its line
 * breaks kept by the stylesheet (`white-space: pre-wrap`).
 */
export function DescriptionText({ text }: { text: string }) {
  return <div class="text">{text}</div>;
}
