using System.Buffers;
using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SpecSynth.Specs;

/// <summary>Turns Markdig inlines into plain text: emphasis dropped, code and link text kept, HTML dropped.</summary>
internal static class InlineText
{
    /// <summary>The plain text of a leaf block's inlines, whitespace collapsed and trimmed.</summary>
    public static string Of(LeafBlock block) => Of(block.Inline);

    /// <summary>The plain text of a container inline, whitespace collapsed and trimmed.</summary>
    /// <param name="container">The inlines.</param>
    /// <param name="includeCode">False to replace code spans with an ellipsis, for checks that must ignore code.</param>
    public static string Of(ContainerInline? container, bool includeCode = true)
    {
        if (container is null)
        {
            return string.Empty;
        }
        var builder = RentBuilder();
        Append(container, builder, includeCode);
        var text = builder.ToString();
        ReturnBuilder(builder);
        return CollapseWhitespace(text);
    }

    /// <summary>The plain text of a leaf block split at its line breaks, each line collapsed; blank lines dropped.</summary>
    public static IReadOnlyList<string> Lines(LeafBlock block)
    {
        if (block.Inline is null)
        {
            return [];
        }
        var builder = RentBuilder();
        Append(block.Inline, builder, includeCode: true);
        var text = builder.ToString();
        ReturnBuilder(builder);
        if (!text.Contains('\n', StringComparison.Ordinal))
        {
            var single = CollapseWhitespace(text);
            return single.Length > 0 ? [single] : [];
        }
        var lines = new List<string>();
        foreach (var part in text.Split('\n'))
        {
            var line = CollapseWhitespace(part);
            if (line.Length > 0)
            {
                lines.Add(line);
            }
        }
        return lines;
    }

    /// <summary>Collapses runs of whitespace to one space and trims the ends.</summary>
    public static string CollapseWhitespace(string text)
    {
        if (!NeedsCollapsing(text))
        {
            return text;
        }
        // Collapsed into a stack or pooled buffer: the one allocation is the result.
        char[]? rented = null;
        var buffer = text.Length <= 512 ? stackalloc char[512] : (rented = ArrayPool<char>.Shared.Rent(text.Length));
        var length = 0;
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = length > 0;
                continue;
            }
            if (pendingSpace)
            {
                buffer[length++] = ' ';
                pendingSpace = false;
            }
            buffer[length++] = c;
        }
        var collapsed = new string(buffer[..length]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
        return collapsed;
    }

    // One builder per thread for the inline text of a block (Of, Lines): Append does not call back into either.
    [ThreadStatic]
    private static StringBuilder? t_builder;

    private static StringBuilder RentBuilder()
    {
        var builder = t_builder ?? new StringBuilder(256);
        t_builder = null;
        return builder.Clear();
    }

    private static void ReturnBuilder(StringBuilder builder)
    {
        if (builder.Capacity <= 8192)
        {
            t_builder = builder;
        }
    }

    private static bool NeedsCollapsing(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }
        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return true;
        }
        for (var i = 1; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && (text[i] != ' ' || char.IsWhiteSpace(text[i - 1])))
            {
                return true;
            }
        }
        return false;
    }

    private static void Append(ContainerInline container, StringBuilder builder, bool includeCode)
    {
        for (var inline = container.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    builder.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    builder.Append(includeCode ? code.Content : "…");
                    break;
                case LineBreakInline:
                    builder.Append('\n');
                    break;
                case HtmlEntityInline entity:
                    builder.Append(entity.Transcoded.AsSpan());
                    break;
                case AutolinkInline autolink:
                    builder.Append(autolink.Url);
                    break;
                case ContainerInline child:
                    Append(child, builder, includeCode);
                    break;
                default:
                    // HtmlInline (tags, comments) carries no prose.
                    break;
            }
        }
    }
}
