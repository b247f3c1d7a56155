namespace SpecSynth.Projects;

/// <summary>
/// Masks the secrets a URL can carry, for display: the user info (<c>user:password@</c> or a bare token) becomes
/// <c>***@</c> and every query value becomes <c>***</c> (gateways take keys as <c>?api-key=</c>, <c>?key=</c>,
/// <c>?sig=</c>, ...), except version parameters such as <c>api-version</c>, which are never secret. Also accepts
/// <c>host:port</c> forms without a scheme (<c>:password@host:6379</c>). Used through <see cref="SecretRedactor.MaskUrl(string)"/>.
/// </summary>
internal static class SecretUrls
{
    public const string Mask = "***";

    public static string MaskUrl(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = scheme < 0 ? 0 : scheme + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        authorityEnd = authorityEnd < 0 ? url.Length : authorityEnd;
        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        var masked = at < 0 ? url : string.Concat(url.AsSpan(0, authorityStart), Mask + "@", url.AsSpan(at + 1));
        var query = masked.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? masked : masked[..(query + 1)] + MaskQuery(masked[(query + 1)..]);
    }

    private static string MaskQuery(string query)
    {
        var fragment = query.IndexOf('#', StringComparison.Ordinal);
        var (parameters, rest) = fragment < 0 ? (query, "") : (query[..fragment], query[fragment..]);
        var parts = parameters.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0 && equals < parts[i].Length - 1 && !parts[i].AsSpan(0, equals).Contains("version", StringComparison.OrdinalIgnoreCase))
            {
                parts[i] = parts[i][..(equals + 1)] + Mask;
            }
        }
        return string.Join('&', parts) + rest;
    }
}
