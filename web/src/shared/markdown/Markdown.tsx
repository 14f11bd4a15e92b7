import { memo, type ReactNode } from 'react';
import { parseMarkdown, type Inline } from './parse.ts';

function renderInline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, index) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'code':
        return <code key={index}>{node.text}</code>;
      case 'em':
        return <em key={index}>{renderInline(node.children)}</em>;
      case 'strong':
        return <strong key={index}>{renderInline(node.children)}</strong>;
      case 'speech':
        return (
          <span key={index} className="speech">
            {renderInline(node.children)}
          </span>
        );
    }
  });
}

function renderLines(lines: Inline[][]): ReactNode[] {
  return lines.flatMap((line, index) => (index === 0 ? renderInline(line) : [<br key={`br${index}`} />, ...renderInline(line)]));
}

/** Role-play text with light formatting; built from React elements, never from HTML strings. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <>
      {parseMarkdown(text).map((block, index) =>
        block.type === 'quote' ? <blockquote key={index}>{renderLines(block.lines)}</blockquote> : <p key={index}>{renderLines(block.lines)}</p>,
      )}
    </>
  );
});
