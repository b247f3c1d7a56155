namespace SpecSynth.Parsing;

/// <summary>
/// Extracts files from a model reply. A file is a fenced block (backticks or tildes, CommonMark rules) or a
/// <c>&lt;file path="..."&gt;</c> element whose path is named by one of:
/// <list type="bullet">
/// <item>the info string: <c>```csharp path=src/x.cs</c>, <c>file=</c>, <c>filename=</c>, <c>title="x"</c>,
/// <c>```src/x.cs</c>, <c>```csharp:src/x.cs</c>, <c>```csharp src/x.cs</c>;</item>
/// <item>a comment on the first content line: <c>// filepath: src/x.cs</c>, <c># file: x.py</c>,
/// <c>&lt;!-- path: x.html --&gt;</c>, <c>-- </c>, <c>/* */</c>, <c>;</c>, <c>REM</c>; or a comment that is only a
/// clear path (<c>// src/x.cs</c>, <c># main.py</c>); the marker line is removed from the content;</item>
/// <item>a label on the line before the fence (one blank line may sit between): <c>**src/x.cs**</c>,
/// <c>### File: src/x.cs</c>, <c>`src/x.cs`:</c>, <c>Filename: x</c>, <c>1. **src/x.cs**</c>.</item>
/// </list>
/// Paths are trimmed of quotes, backticks and asterisks, <c>\</c> becomes <c>/</c>, a leading <c>./</c> goes;
/// nothing else is judged here (confinement is checked when writing). The parse is linear in the reply's
/// length and uses no regular expressions.
/// </summary>
internal static class ResponseParser
{
    /// <summary>Parses a reply.</summary>
    /// <param name="reply">The reply text (any line endings).</param>
    /// <returns>The files, the remaining prose, and warnings about what was skipped. A repeated path keeps its
    /// last block; a block the reply ended inside has <see cref="CodeBlock.IsComplete"/> <c>false</c>.</returns>
    public static ParsedResponse Parse(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var lines = new ReplyLines(reply);
        var taken = new bool[lines.Count];
        var files = new List<CodeBlock?>();
        var byPath = new Dictionary<string, int>(StringComparer.Ordinal);
        var warnings = new WarningList();
        var scanner = new BlockScanner(lines);
        var edits = new List<Edits.FileEdits>();
        foreach (var block in scanner.Scan())
        {
            if (EditsOf(lines, block, warnings) is { } found)
            {
                Take(taken, block);
                edits.AddRange(found);
                continue;
            }
            if (block.Header.Path is not { } path)
            {
                warnings.Add(NoPathWarning(block), "{0} more code blocks name no file path; they were left in the explanation");
                continue;
            }
            Take(taken, block);
            var file = new CodeBlock(path, block.Header.Language, BlockText.Content(lines, block),
                BlockText.LineStart(block), block.Closed);
            AddWarnings(warnings, block, file, byPath.TryGetValue(path, out var earlier) ? files[earlier] : null);
            if (byPath.TryGetValue(path, out var index))
            {
                files[index] = null;
            }
            byPath[path] = files.Count;
            files.Add(file);
        }
        if (scanner.WrapperLine >= 0)
        {
            warnings.Add($"line {scanner.WrapperLine + 1}: a markdown block names no file path; its fences were " +
                "ignored and the blocks inside read as files", "{0} more markdown wrappers");
        }
        return new ParsedResponse(files.OfType<CodeBlock>().ToList(), BlockText.Explanation(lines, taken), warnings.ToList())
        {
            Edits = Join(edits),
        };
    }

    /// <summary>The edits of a fence holding SEARCH/REPLACE blocks or diff hunks; <c>null</c> for any other block (a file).</summary>
    private static List<Edits.FileEdits>? EditsOf(ReplyLines lines, RawBlock block, WarningList warnings)
    {
        // The whole content, a "marker" line included: "--- a/x.cs" may read as a comment naming a path.
        var content = BlockText.Content(lines, block with { Header = block.Header with { MarkerLine = -1 } });
        if (!content.Contains("SEARCH", StringComparison.Ordinal) && !content.Contains("ORIGINAL", StringComparison.Ordinal) &&
            !content.Contains("@@", StringComparison.Ordinal) && !content.Contains("+++ ", StringComparison.Ordinal))
        {
            return null;
        }
        var contentLines = Edits.EditApplier.SplitLines(content);
        var problems = new List<string>();
        List<Edits.FileEdits>? found = null;
        var path = block.Header.Path;
        if (Edits.SearchReplaceParser.HasBlocks(contentLines))
        {
            found = Edits.SearchReplaceParser.Parse(contentLines, path, block.ContentStart + 1, problems);
        }
        else if ((block.Header.Language is "diff" or "patch" || path is null || block.Header.MarkerLine >= 0) &&
            !(path?.EndsWith(".diff", StringComparison.OrdinalIgnoreCase) ?? false) && !(path?.EndsWith(".patch", StringComparison.OrdinalIgnoreCase) ?? false) &&
            Edits.UnifiedDiffParser.IsDiff(contentLines))
        {
            found = Edits.UnifiedDiffParser.Parse(contentLines, block.Header.MarkerLine >= 0 ? null : path, block.ContentStart + 1, block.Closed, problems);
        }
        if (found is null)
        {
            return null;
        }
        if (!block.Closed)
        {
            found = [.. found.Select(f => f with { IsComplete = false })];
        }
        foreach (var problem in problems)
        {
            warnings.Add(problem, "{0} more edit blocks name no file");
        }
        return found;
    }

    /// <summary>One entry per path: the blocks of several fences for the same file joined in reply order, renumbered.</summary>
    private static List<Edits.FileEdits> Join(List<Edits.FileEdits> edits)
    {
        var result = new List<Edits.FileEdits>();
        foreach (var group in edits.GroupBy(e => e.Path, StringComparer.Ordinal))
        {
            var blocks = group.SelectMany(g => g.Blocks).Select((b, i) => b with { Number = i + 1 }).ToList();
            result.Add(new Edits.FileEdits(group.Key, blocks, group.First().Format, group.All(g => g.IsComplete)));
        }
        return result;
    }

    private static void Take(bool[] taken, RawBlock block)
    {
        var last = block.Closed ? block.CloseLine : taken.Length - 1;
        Array.Fill(taken, true, block.OpenLine, last - block.OpenLine + 1);
        if (block.Header.LabelLine >= 0)
        {
            taken[block.Header.LabelLine] = true;
        }
    }

    private static string NoPathWarning(RawBlock block)
    {
        var language = block.Header.Language is { } l ? l + " " : "";
        var truncated = block.Closed ? "" : " (the reply ended inside it)";
        return $"line {block.OpenLine + 1}: a {language}code block names no file path{truncated}; " +
            "it was left in the explanation";
    }

    private static void AddWarnings(WarningList warnings, RawBlock block, CodeBlock file, CodeBlock? earlier)
    {
        var at = $"line {block.OpenLine + 1}";
        if (block.Header.OtherPath is { } other)
        {
            warnings.Add($"{at}: the block names both '{file.Path}' and '{other}'; '{file.Path}' was used",
                "{0} more blocks name two paths; the info string's, marker's or label's was used, in that order");
        }
        if (earlier is not null)
        {
            warnings.Add($"{at}: '{file.Path}' appears again (first at line {earlier.LineStart}); the last block is used",
                "{0} more repeated paths; the last block of each is used");
        }
        if (!file.IsComplete)
        {
            warnings.Add($"{at}: the reply ended inside '{file.Path}'; the file is incomplete", "{0} more incomplete files");
        }
    }
}
