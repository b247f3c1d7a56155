namespace SpecSynth.Parsing;

/// <summary>
/// Finds the fenced blocks and <c>&lt;file&gt;</c> elements of a reply in one pass over its lines.
/// Fences follow CommonMark: a block closes at the first line with the same character, at least as many of them
/// and nothing else, so a <c>````</c> fence keeps inner <c>```</c> lines as content. One heuristic goes further:
/// in a markdown block, an inner fence opened with an info string (<c>```csharp</c>) is paired with the next bare
/// fence instead of closing the outer block. If an "inner" fence turns out to name a file of its own, the outer
/// block is closed where CommonMark would have closed it, and the heuristic is off for the rest of the reply (which
/// keeps the pass linear). If the pairing reaches the end of the reply, the block is incomplete: a reply cut inside
/// a markdown file must never look whole.
/// A <c>```markdown</c> block that names no path is taken as a wrapper around the whole answer (small models do
/// this): its fences are dropped and the blocks inside are scanned as usual (once per reply, to stay linear).
/// </summary>
internal sealed class BlockScanner(ReplyLines lines)
{
    private bool _nestingAllowed = true;
    private int _wrapperClose = -1;

    /// <summary>The 0-based line of the markdown fence read as a wrapper, or -1.</summary>
    public int WrapperLine { get; private set; } = -1;

    /// <summary>Scans the reply.</summary>
    public List<RawBlock> Scan()
    {
        var blocks = new List<RawBlock>();
        var line = 0;
        var firstLabelLine = 0;
        while (line < lines.Count)
        {
            RawBlock? block = null;
            if (line == _wrapperClose)
            {
                line++;
                continue;
            }
            if (Fence.TryOpen(lines[line], out var fence))
            {
                block = ScanFence(line, fence, firstLabelLine);
            }
            else if (FileTag.TryOpen(lines[line], out var path))
            {
                block = ScanTag(line, path);
            }
            if (block is null)
            {
                line++;
                continue;
            }
            blocks.Add(block);
            line = block.Closed ? block.CloseLine + 1 : lines.Count;
            firstLabelLine = line;
        }
        return blocks;
    }

    private RawBlock? ScanFence(int openLine, Fence fence, int firstLabelLine)
    {
        var header = BlockHeader.ForFence(lines, openLine, fence, firstLabelLine);
        if (header.Path is null && header.Language == "markdown" && WrapperLine < 0)
        {
            WrapperLine = openLine;
            _wrapperClose = FindClose(openLine + 1, fence, nested: true, splitAtFiles: false);
            return null;
        }
        var nested = _nestingAllowed && Languages.IsMarkdown(header.Language, header.Path);
        var close = FindClose(openLine + 1, fence, nested, splitAtFiles: true);
        return new RawBlock(openLine, close, openLine + 1, close >= 0 ? close : lines.Count, fence.Indent, header);
    }

    private int FindClose(int from, Fence fence, bool nested, bool splitAtFiles)
    {
        var lastPlainClose = -1;
        Fence? inner = null;
        for (var line = from; line < lines.Count; line++)
        {
            var text = lines[line];
            var closesOuter = fence.IsClosedBy(text);
            if (inner is null && closesOuter)
            {
                return line;
            }
            if (inner is { } open)
            {
                lastPlainClose = closesOuter ? line : lastPlainClose;
                inner = open.IsClosedBy(text) ? null : inner;
            }
            else if (nested && fence.IsOpenedWithInfoBy(text, out var innerFence))
            {
                if (splitAtFiles && lastPlainClose >= 0 && BlockHeader.ForFence(lines, line, innerFence, lastPlainClose + 1).Path is not null)
                {
                    // An "inner" fence that names a file is the next file: the outer block closed at the last
                    // fence CommonMark would have closed it at.
                    _nestingAllowed = false;
                    return lastPlainClose;
                }
                inner = innerFence;
            }
        }
        return -1;
    }

    private RawBlock ScanTag(int openLine, string path)
    {
        var close = -1;
        for (var line = openLine + 1; line < lines.Count && close < 0; line++)
        {
            close = FileTag.IsClose(lines[line]) ? line : -1;
        }
        var start = openLine + 1;
        var end = close >= 0 ? close : lines.Count;
        Fence? inner = null;
        if (start < end && Fence.TryOpen(lines[start], out var wrap))
        {
            var last = end - 1;
            while (last > start && lines.IsBlank(last))
            {
                last--;
            }
            if (last > start && wrap.IsClosedBy(lines[last]))
            {
                (inner, start, end) = (wrap, start + 1, last);
            }
        }
        return new RawBlock(openLine, close, start, end, inner?.Indent ?? 0, BlockHeader.ForTag(path, inner));
    }
}
