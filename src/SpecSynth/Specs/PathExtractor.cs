using System.Buffers;
using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SpecSynth.Specs;

/// <summary>
/// Collects relative file paths a spec mentions in code spans, link targets and prose, in order of first
/// appearance. Code blocks and HTML are not read; URLs and absolute paths are skipped.
/// </summary>
internal static class PathExtractor
{
    private static readonly SearchValues<char> TextSeparators = SearchValues.Create("()[]{}<>\"'`,;|*");

    public static IReadOnlyList<string> Extract(MarkdownDocument document)
    {
        var collector = new Collector();
        foreach (var leaf in document.Descendants<LeafBlock>())
        {
            if (leaf.Inline is not null)
            {
                collector.Walk(leaf.Inline);
                collector.FlushText();
            }
        }
        return collector.Paths.AsReadOnly();
    }

    private sealed class Collector
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly StringBuilder _text = new();

        public List<string> Paths { get; } = [];

        public void Walk(ContainerInline container)
        {
            for (var inline = container.FirstChild; inline is not null; inline = inline.NextSibling)
            {
                switch (inline)
                {
                    case LiteralInline literal:
                        _text.Append(literal.Content.AsSpan());
                        break;
                    case LineBreakInline:
                        _text.Append(' ');
                        break;
                    case CodeInline code:
                        FlushText();
                        AddTokens(code.Content, codeSpan: true);
                        break;
                    case LinkInline link:
                        FlushText();
                        AddLink(link.Url);
                        Walk(link);
                        FlushText();
                        break;
                    case AutolinkInline:
                        FlushText();
                        break;
                    case ContainerInline child:
                        FlushText();
                        Walk(child);
                        FlushText();
                        break;
                    default:
                        FlushText();
                        break;
                }
            }
        }

        public void FlushText()
        {
            if (_text.Length > 0)
            {
                AddTokens(_text.ToString(), codeSpan: false);
                _text.Clear();
            }
        }

        private void AddLink(string? url)
        {
            if (string.IsNullOrEmpty(url))
            {
                return;
            }
            var end = url.IndexOfAny(['#', '?']);
            var target = end >= 0 ? url[..end] : url;
            if (target.Length > 0 && !target.Contains("://", StringComparison.Ordinal))
            {
                Add(Uri.UnescapeDataString(target), allowDirectories: true);
            }
        }

        /// <summary>
        /// Splits at whitespace (code spans) or whitespace and brackets, quotes and list punctuation (prose),
        /// and checks only tokens that could be paths, so long prose costs little.
        /// </summary>
        private void AddTokens(string text, bool codeSpan)
        {
            var span = text.AsSpan();
            var start = 0;
            for (var i = 0; i <= span.Length; i++)
            {
                if (i < span.Length && !(char.IsWhiteSpace(span[i]) || (!codeSpan && TextSeparators.Contains(span[i]))))
                {
                    continue;
                }
                var token = span[start..i];
                start = i + 1;
                var core = token.TrimEnd(".,:;!?)");
                if (core.Length >= 2 && PathToken.MayBePath(core))
                {
                    Add(token.ToString(), allowDirectories: codeSpan);
                }
            }
        }

        private void Add(string token, bool allowDirectories)
        {
            var path = PathToken.Normalize(token, allowDirectories);
            if (path is not null && _seen.Add(path))
            {
                Paths.Add(path);
            }
        }
    }
}
