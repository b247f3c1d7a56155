namespace SpecSynth.Projects;

/// <summary>Replaces whole PEM/OpenSSH/PGP private key blocks, <c>-----BEGIN … PRIVATE KEY…-----</c> to the
/// matching <c>-----END …-----</c> (or to the end of the text when the block is cut off).</summary>
internal static class PrivateKeyBlocks
{
    private const string Begin = "-----BEGIN ";
    private const string End = "-----END ";
    private const string Dashes = "-----";
    private const int MaxHeader = 80;

    public static string Redact(string text, ref int count)
    {
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        if (begin < 0)
        {
            return text;
        }
        var sb = new System.Text.StringBuilder(text.Length);
        var copied = 0;
        while (begin >= 0)
        {
            var headerEnd = text.IndexOf(Dashes, begin + Begin.Length, StringComparison.Ordinal);
            var next = begin + Begin.Length;
            if (headerEnd > 0 && headerEnd - begin < MaxHeader
                && text.AsSpan(begin, headerEnd - begin).Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                var end = BlockEnd(text, headerEnd + Dashes.Length);
                sb.Append(text, copied, begin - copied).Append(SecretRedactor.Marker);
                copied = end;
                next = end;
                count++;
            }
            begin = next < text.Length ? text.IndexOf(Begin, next, StringComparison.Ordinal) : -1;
        }
        return sb.Append(text, copied, text.Length - copied).ToString();
    }

    private static int BlockEnd(string text, int from)
    {
        var end = text.IndexOf(End, from, StringComparison.Ordinal);
        if (end < 0)
        {
            return text.Length;
        }
        var close = text.IndexOf(Dashes, end + End.Length, StringComparison.Ordinal);
        return close < 0 ? text.Length : close + Dashes.Length;
    }
}
