namespace SpecSynth.Parsing;

/// <summary>
/// The XML style some prompts ask for: <c>&lt;file path="src/x.cs"&gt;</c> alone on a line, the content, then
/// <c>&lt;/file&gt;</c> alone on a line (<c>name=</c> and <c>filename=</c> work too). Content wrapped in a fence
/// inside the element is unwrapped.
/// </summary>
internal static class FileTag
{
    private static readonly string[] Attributes = ["path", "filepath", "filename", "name"];

    /// <summary>Reads an opening tag that names a path.</summary>
    public static bool TryOpen(ReadOnlySpan<char> line, out string path)
    {
        path = "";
        var t = line.TrimStart(' ');
        if (t.IsEmpty || t[0] != '<')
        {
            return false;
        }
        t = t.Trim();
        if (!t.StartsWith("<file ", StringComparison.OrdinalIgnoreCase) || !t.EndsWith('>') || t.EndsWith("/>"))
        {
            return false;
        }
        var attributes = t[6..^1];
        foreach (var name in Attributes)
        {
            if (TryAttribute(attributes, name, out var value))
            {
                path = PathText.Clean(value);
                return PathText.IsPathToken(path);
            }
        }
        return false;
    }

    /// <summary>Whether a line is the closing tag.</summary>
    public static bool IsClose(ReadOnlySpan<char> line) => line.Trim().Equals("</file>", StringComparison.OrdinalIgnoreCase);

    private static bool TryAttribute(ReadOnlySpan<char> attributes, string name, out ReadOnlySpan<char> value)
    {
        value = default;
        var at = 0;
        while (at < attributes.Length)
        {
            var found = attributes[at..].IndexOf(name, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }
            var start = at + found;
            var rest = attributes[(start + name.Length)..].TrimStart();
            var boundary = start == 0 || char.IsWhiteSpace(attributes[start - 1]);
            if (boundary && rest.StartsWith('=') && rest.Length > 1)
            {
                value = Value(rest[1..].TrimStart());
                return !value.IsEmpty;
            }
            at = start + name.Length;
        }
        return false;
    }

    private static ReadOnlySpan<char> Value(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty)
        {
            return rest;
        }
        if (rest[0] is '"' or '\'')
        {
            var end = rest[1..].IndexOf(rest[0]);
            return end >= 0 ? rest[1..(end + 1)] : [];
        }
        var space = rest.IndexOfAny(' ', '\t');
        return space >= 0 ? rest[..space] : rest;
    }
}
