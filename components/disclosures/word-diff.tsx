/** A word-level diff: removed words struck through in red, added words underlined in green. */
export function WordDiff({ parts }: { parts: { value: string; change: 'same' | 'added' | 'removed' }[] }) {
  return (
    <p className="whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 font-mono text-sm" data-testid="word-diff">
      {parts.map((part, i) =>
        part.change === 'added' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one diff never move
          <ins key={i} className="bg-emerald-100 text-emerald-900">
            {part.value}
          </ins>
        ) : part.change === 'removed' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one diff never move
          <del key={i} className="bg-red-100 text-red-900">
            {part.value}
          </del>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one diff never move
          <span key={i}>{part.value}</span>
        ),
      )}
    </p>
  );
}
