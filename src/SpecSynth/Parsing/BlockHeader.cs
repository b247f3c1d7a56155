namespace SpecSynth.Parsing;

/// <summary>
/// Where a block's path comes from and which lines are metadata. The path is taken, in this order, from the
/// info string, a first-line marker with a keyword (<c>// filepath: x</c>), a label on the line before the fence
/// (at most one blank line between), or a first-line comment that is only a path (<c>// src/x.cs</c>).
/// </summary>
/// <param name="Path">The path, or <c>null</c> when the block names none.</param>
/// <param name="Language">The language from the info string, else from the path, else <c>null</c>.</param>
/// <param name="MarkerLine">0-based line of a path marker to drop from the content, or -1.</param>
/// <param name="LabelLine">0-based line of the label naming this path (dropped from the explanation), or -1.</param>
/// <param name="OtherPath">A different path another source named, or <c>null</c>.</param>
internal sealed record BlockHeader(string? Path, string? Language, int MarkerLine, int LabelLine, string? OtherPath)
{
    /// <summary>Resolves the header of a fence opened at <paramref name="openLine"/>.</summary>
    /// <param name="lines">The reply.</param>
    /// <param name="openLine">The opening fence's line.</param>
    /// <param name="fence">The opening fence.</param>
    /// <param name="firstLabelLine">The first line a label may be on (after the previous block).</param>
    public static BlockHeader ForFence(ReplyLines lines, int openLine, Fence fence, int firstLabelLine)
    {
        var info = InfoString.Parse(fence.Info);
        var (label, labelLine) = FindLabel(lines, openLine - 1, firstLabelLine);
        var markdown = Languages.IsMarkdown(info.Language, info.Path ?? label);
        var (marker, markerLine, keyword) = FindMarker(lines, openLine + 1, markdown);
        var path = info.Path ?? (keyword ? marker : null) ?? label ?? marker;
        var other = new[] { info.Path, keyword ? marker : null, label }.FirstOrDefault(p => p is not null && p != path);
        return new BlockHeader(path, info.Language ?? (path is null ? null : Languages.FromPath(path)),
            keyword || (marker is not null && marker == path) ? markerLine : -1,
            label is not null && label == path ? labelLine : -1, other);
    }

    /// <summary>The header of a <c>&lt;file path="..."&gt;</c> element, optionally wrapping a fence.</summary>
    public static BlockHeader ForTag(string path, Fence? inner)
    {
        var language = inner is { } f ? InfoString.Parse(f.Info).Language : null;
        return new BlockHeader(path, language ?? Languages.FromPath(path), -1, -1, null);
    }

    private static (string? Path, int Line, bool Keyword) FindMarker(ReplyLines lines, int first, bool markdown)
    {
        if (first >= lines.Count)
        {
            return (null, -1, false);
        }
        if (PathMarker.TryParse(lines[first], markdown, out var path, out var keyword))
        {
            return (path, first, keyword);
        }
        // A file that must start with a shebang, <?php or <?xml may carry its marker on the second line.
        var head = lines[first].TrimStart();
        if (first + 1 < lines.Count && (head.StartsWith("#!") || head.StartsWith("<?")) &&
            PathMarker.TryParse(lines[first + 1], markdown, out path, out keyword) && keyword)
        {
            return (path, first + 1, true);
        }
        return (null, -1, false);
    }

    private static (string? Path, int Line) FindLabel(ReplyLines lines, int line, int firstLabelLine)
    {
        if (line >= firstLabelLine && line >= 0 && lines.IsBlank(line))
        {
            line--;
        }
        if (line >= firstLabelLine && line >= 0 && PathLabel.TryParse(lines[line], out var path))
        {
            return (path, line);
        }
        return (null, -1);
    }
}
