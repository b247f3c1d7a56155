namespace SpecSynth.Context.Relevance;

/// <summary>An HTTP endpoint a spec names (<c>GET /todos/{id}</c>).</summary>
/// <param name="Method">The upper-case method.</param>
/// <param name="Path">The path as written.</param>
internal sealed record Endpoint(string Method, string Path)
{
    /// <summary>The path's segments; a parameter segment (<c>{id}</c>, <c>:id</c>, <c>&lt;int:id&gt;</c>, <c>[id]</c>) is <c>null</c>.</summary>
    public IReadOnlyList<string?> Segments { get; } = Split(Path);

    /// <summary>The UTF-8 bytes of the path up to its first parameter (<c>/todos/</c>), which a route literal starts with.</summary>
    public byte[] StaticPrefix { get; } = System.Text.Encoding.UTF8.GetBytes(Prefix(Path));

    /// <summary>Whether the route literal <paramref name="literal"/> is this endpoint's path (parameters match parameters).</summary>
    public bool Matches(string literal)
    {
        var other = Split(literal);
        if (other.Count != Segments.Count)
        {
            return false;
        }
        for (var i = 0; i < other.Count; i++)
        {
            if ((other[i] is null) != (Segments[i] is null)
                || (other[i] is { } a && !a.Equals(Segments[i], StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The endpoint as the spec wrote it.</summary>
    public override string ToString() => $"{Method} {Path}";

    internal static List<string?> Split(string path) =>
        path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => IsParameter(s) ? null : s)
            .ToList();

    private static bool IsParameter(string segment) =>
        segment.StartsWith(':') || (segment.StartsWith('{') && segment.EndsWith('}'))
        || (segment.StartsWith('<') && segment.EndsWith('>')) || (segment.StartsWith('[') && segment.EndsWith(']'));

    private static string Prefix(string path)
    {
        var cut = path.IndexOfAny([':', '{', '<', '[']);
        return cut < 0 ? path : path[..cut];
    }
}
