// The one way a notice's markdown becomes HTML: the editor's live preview and the public page
// both render through this, so what approvers see is what the public sees. react-markdown never
// passes raw HTML through (no rehype-raw); remark-gfm adds tables and lists; rehype-sanitize
// (GitHub's schema) removes anything else unsafe: scripts, event handlers, `javascript:` and
// `data:` URLs, iframes, styles. Links open outside the page without the opener.
import type { ComponentProps } from 'react';
import ReactMarkdown from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';

const components: ComponentProps<typeof ReactMarkdown>['components'] = {
  h1: ({ node: _, ...props }) => <h2 className="mt-4 text-xl font-bold" {...props} />,
  h2: ({ node: _, ...props }) => <h3 className="mt-4 text-lg font-semibold" {...props} />,
  h3: ({ node: _, ...props }) => <h4 className="mt-3 font-semibold" {...props} />,
  p: ({ node: _, ...props }) => <p className="mt-2 leading-relaxed" {...props} />,
  ul: ({ node: _, ...props }) => <ul className="mt-2 list-disc space-y-1 pl-6" {...props} />,
  ol: ({ node: _, ...props }) => <ol className="mt-2 list-decimal space-y-1 pl-6" {...props} />,
  a: ({ node: _, ...props }) => (
    <a className="text-sky-800 underline" rel="noopener noreferrer nofollow" target="_blank" {...props} />
  ),
  table: ({ node: _, ...props }) => <table className="mt-2 w-full border-collapse text-sm" {...props} />,
  th: ({ node: _, ...props }) => <th className="border border-slate-300 px-2 py-1 text-left" {...props} />,
  td: ({ node: _, ...props }) => <td className="border border-slate-300 px-2 py-1" {...props} />,
  code: ({ node: _, ...props }) => <code className="rounded bg-slate-100 px-1 font-mono text-sm" {...props} />,
  img: ({ alt }) => <span className="text-slate-500">[image: {alt}]</span>, // a notice loads nothing from elsewhere
};

export function NoticeMarkdown({ body }: { body: string }) {
  return (
    <div className="break-words text-slate-900" data-testid="notice-rendered">
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSanitize]} components={components}>
        {body}
      </ReactMarkdown>
    </div>
  );
}
